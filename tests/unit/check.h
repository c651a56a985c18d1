/* check: a minimal assertion harness for the unit tests (named cases, "N passed, N failed"). */
#ifndef CAMDECOY_CHECK_H
#define CAMDECOY_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;
static const char *check_case = "main"; /* the case running, named in each failure */

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (cond) {                                                                        \
			check_passed++;                                                            \
		} else {                                                                           \
			check_failed++;                                                            \
			fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__,       \
			        check_case, #cond);                                                \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b) CHECK(strcmp((a), (b)) == 0)

/* check_run: one named case; a case that failed says so once more, by name, at its end. */
static inline void check_run(const char *name, void (*fn)(void))
{
	int before = check_failed;

	check_case = name;
	fn();
	if (check_failed != before)
		fprintf(stderr, "case %s: %d check(s) failed\n", name, check_failed - before);
	check_case = "main";
}

#define RUN(fn) check_run(#fn, fn)

static int check_report(void)
{
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed == 0 ? 0 : 1;
}

#endif
