// The web application imports the server's types (src/), and the server modules they come from are
// checked with Node's types; the web application's own code runs in the browser and uses none.
/// <reference types="node" />
