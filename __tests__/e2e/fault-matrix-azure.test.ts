// The fault matrix's Azure half (fault-matrix.ts has the matrix and why it is in two files).
import { faultMatrix } from './fault-matrix.js';

faultMatrix('azure');
