// Runs RocketRML on one mapping file from the current folder (sources are read relative to it)
// and writes N-Triples: node rocketrml.js MAPPING.ttl OUTPUT.nt
const parser = require('rocketrml');
const [mapping, output] = process.argv.slice(2);
parser
  .parseFile(mapping, output, { toRDF: true, verbose: false, replace: false })
  .then(() => process.exit(0))
  .catch((error) => { console.error(error); process.exit(1); });
