'use strict';
// The compiled addon, loaded through the loader the napi CLI generates (binding.js). Kept in
// one place so every class gets the same instance.
module.exports = require('../binding.js');
