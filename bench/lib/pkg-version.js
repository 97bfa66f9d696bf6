'use strict'
// Version of an installed package, found by walking up from its resolved entry
// point (works for packages whose "exports" hide ./package.json).
const fs = require('node:fs')
const path = require('node:path')

module.exports = function pkgVersion (name, fromDir = __dirname) {
  let dir = path.dirname(require.resolve(name, { paths: [fromDir] }))
  for (;;) {
    const file = path.join(dir, 'package.json')
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8'))
      if (pkg.name === name) return pkg.version
    }
    const up = path.dirname(dir)
    if (up === dir) return 'unknown'
    dir = up
  }
}
