/* SPDX-License-Identifier: GPL-2.0 */
/* The one number parser of iobus-stress: decimal, digits only. */
#ifndef IOBUS_NUM_H
#define IOBUS_NUM_H

/*
 * @s as a decimal unsigned integer in [@min, @max]: digits only, no sign,
 * no spaces, no base prefix ("010" is ten, "0x10" is refused).  0 or -1.
 */
int parse_u64(const char *s, unsigned long long min, unsigned long long max,
	      unsigned long long *out);
/*
 * Seconds ("2", "0.5", "1.25") as milliseconds in [1, @max_ms], digits
 * below a millisecond dropped: a value under 1 ms is refused (0 means
 * "never stop" to the module).
 */
int parse_seconds_ms(const char *s, unsigned int max_ms, unsigned int *ms);

#endif
