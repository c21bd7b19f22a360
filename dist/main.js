var{runMainStep}=await import("./index.js");await runMainStep(),process.exit();
