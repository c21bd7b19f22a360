import { runMainStep } from './steps/main.js';

await runMainStep();
