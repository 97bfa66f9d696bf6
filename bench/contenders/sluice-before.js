'use strict'
// sluice as another checkout (a "before" build), for before/after ratios measured in one run:
// SLUICE_BEFORE=/path/to/checkout node bench/run.js --only node,sluice,sluice-before
const path = require('node:path')

const root = process.env.SLUICE_BEFORE
if (!root) throw new Error('set SLUICE_BEFORE to a built sluice checkout')
process.env.SLUICE_ROOT = path.resolve(root)
const contender = require('./sluice.js')

module.exports = { ...contender, name: 'sluice-before', version: () => `${contender.version()} (${process.env.SLUICE_ROOT})` }
