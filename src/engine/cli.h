// The flint executable's entry: multi-call by argv[0] (ignition, ignition-validate, flint).
#pragma once

namespace flint::engine {

// main() of the flint executable; returns the exit status.
int run(int argc, char **argv);

} // namespace flint::engine
