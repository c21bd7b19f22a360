var{runMainStep:a}=await import("./index.js");await a(),process.exit();
