/* The iamcross executable: everything else is in the library. */
#include "iamcross/cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
