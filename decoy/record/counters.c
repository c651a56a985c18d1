/* counters: the counters table describes the whole database, not one run: each value is added to
 * the total the table held at open (but readings of now, "_now"), so that camdecoy-report check can
 * compare it with the rows. */
#include "counters.h"

#include <stdio.h>
#include <string.h>

void counters_init(counters_s *c)
{
	pthread_mutex_init(&c->cn_lock, NULL);
}

void counters_destroy(counters_s *c)
{
	pthread_mutex_destroy(&c->cn_lock);
}

void counters_base(void *arg, const char *name, uint64_t value)
{
	counters_s *c = arg;

	if (c->cn_nbase < COUNTERS_MAX && strlen(name) < sizeof(c->cn_base_name[0])) {
		snprintf(c->cn_base_name[c->cn_nbase], sizeof(c->cn_base_name[0]), "%s", name);
		c->cn_base_value[c->cn_nbase++] = value;
	}
}

static uint64_t base_of(const counters_s *c, const char *name)
{
	for (size_t i = 0; i < c->cn_nbase; i++)
		if (strcmp(c->cn_base_name[i], name) == 0)
			return c->cn_base_value[i];
	return 0;
}

void counters_register(counters_s *c, store_counters_fn fn, void *arg)
{
	pthread_mutex_lock(&c->cn_lock);
	c->cn_fn = fn;
	c->cn_arg = arg;
	pthread_mutex_unlock(&c->cn_lock);
}

void counters_freeze(counters_s *c, size_t own)
{
	pthread_mutex_lock(&c->cn_lock);
	if (c->cn_fn != NULL)
		c->cn_nfrozen = c->cn_fn(c->cn_arg, c->cn_frozen, COUNTERS_MAX - own);
	c->cn_fn = NULL;
	pthread_mutex_unlock(&c->cn_lock);
}

size_t counters_collect(counters_s *c, store_counter_s *out, size_t n)
{
	pthread_mutex_lock(&c->cn_lock);
	if (c->cn_fn != NULL) {
		n += c->cn_fn(c->cn_arg, out + n, COUNTERS_MAX - n);
	} else {
		memcpy(out + n, c->cn_frozen, c->cn_nfrozen * sizeof(out[0]));
		n += c->cn_nfrozen;
	}
	pthread_mutex_unlock(&c->cn_lock);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(out[i].ct_name);
		if (len < 4 || strcmp(out[i].ct_name + len - 4, "_now") != 0)
			out[i].ct_value += base_of(c, out[i].ct_name);
	}
	return n;
}

int counters_differ(const counters_s *c, const store_counter_s *now, size_t n)
{
	if (n != c->cn_nwritten)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (now[i].ct_value != c->cn_written[i].ct_value)
			return 1;
	return 0;
}

void counters_committed(counters_s *c, const store_counter_s *now, size_t n)
{
	memcpy(c->cn_written, now, n * sizeof(now[0]));
	c->cn_nwritten = n;
}

uint64_t counters_log(const counters_s *c, jsonl_s *log, int64_t now_ms)
{
	const char *names[COUNTERS_MAX];
	uint64_t values[COUNTERS_MAX];

	if (c->cn_nwritten == 0)
		return 0;
	for (size_t i = 0; i < c->cn_nwritten; i++) {
		names[i] = c->cn_written[i].ct_name;
		values[i] = c->cn_written[i].ct_value;
	}
	return jsonl_status(log, now_ms, names, values, c->cn_nwritten);
}
