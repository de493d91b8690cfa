// The flint executable: everything happens in run().
#include "engine/cli.h"

int main(int argc, char **argv)
{
	return flint::engine::run(argc, argv);
}
