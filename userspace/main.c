// SPDX-License-Identifier: GPL-2.0
/*
 * iobus-stress: drive the iobus_stress module (run, matrix, boot, stats,
 * stop, reset) and report the results as tables, JSON, CSV, KTAP and SVG.
 */
#include "commands.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
