var{mainStepToTheEnd:a}=await import("./index.js");await a();
