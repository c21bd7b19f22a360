async function runSubAction(name){const{runSubActionStep}=await import("./index.js");await runSubActionStep(name);process.exit()}await runSubAction("reconcile");
