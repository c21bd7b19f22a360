import { assertState } from './assert.mjs';

await assertState('main');
