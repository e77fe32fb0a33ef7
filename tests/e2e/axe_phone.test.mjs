// axe-core on every page, role and language of the console at phone size (axe_sweep.mjs).
import { test } from 'node:test';
import { axeSweep } from './axe_sweep.mjs';

test('axe-core finds no violation on any page, role or language (phone)', (t) => axeSweep(t, ['phone', 390, 844]));
