// The fault matrix's AWS half (fault-matrix.ts has the matrix and why it is in two files).
import { faultMatrix } from './fault-matrix.js';

faultMatrix('aws');
