/* SPDX-License-Identifier: GPL-2.0 */
/* The one number parser of iobus-stress (every command): decimal, digits only. */
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
/*
 * A plain decimal in [@lo, @hi]: digits, optionally '.' and digits ("0.05",
 * "2", "1.5"); no sign, exponent, hex, leading '.' or trailing '.'; at most
 * 20 characters.  0 or -1.
 */
int parse_decimal(const char *s, double lo, double hi, double *out);

#endif
