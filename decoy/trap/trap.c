/* trap: a registry of credentials indexed by password, guarded by one mutex
 * (the HTTP thread and the Telnet thread both match logins against it). */
#include "trap.h"
#include "hash.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

const char *const trap_words[] = {
	"amber",  "baker",  "berry",  "candy",  "cedar",  "daisy",  "ember",  "fancy",  "ranger",
	"happy",  "maple",  "penny",  "tucker", "buster", "dexter", "jasper", "summer", "winter",
	"sunset", "hunter", "tango",  "zebra",  "yankee", "sandy",  "rusty",  "mercury", "thunder",
	"dragon", "tiger",  "eagle",  "panther", "falcon", "rocket", "garden", "harvest", "meadow",
	"canyon", "desert", "crystal", "granite", "saturn", "neptune", "pepper", "ginger", "butter",
	"cherry", "peach",  "mango",  "banana", "pumpkin", "nutmeg", "sparky", "bandit", "shadow",
	"pebble", "thunder", "cascade", "quasar", "zephyr", "vector", "matrix", "cypress", "sparrow",
	"raven",  "badger", "beaver", "marten", "jaguar", "puma",   "cheetah", "bravo",  "charlie",
	"delta",  "echo",   "kappa",  "sherpa", "nectar", "spruce", "walnut", "hazel",  "juniper",
	"sequoia", "tundra", "savanna", "safari", "yukon",  "denver", "dakota", "nevada", "texas",
	"kansas", "ramsey", "spencer", "parker", "carter", "tanner", "hunter", "baxter", "chester",
	NULL,
};
/* Entries containing i, l or o are skipped when drawing: see trap_generate. */

static const char *const users[] = {"admin", "admin", "admin", "operator", "service", "viewer",
                                    "security", "supervisor"};

typedef struct trap_entry {
	struct trap_entry *te_next; /* hash chain by password */
	trap_cred_s te_cred;
} trap_entry_s;

struct trap {
	trap_mode_e tr_mode;
	trap_cred_s tr_static;
	pthread_mutex_t tr_lock;
	trap_entry_s **tr_buckets;
	size_t tr_nbuckets, tr_count;
};

static uint32_t rnd(uint32_t bound)
{
	uint32_t v, limit = UINT32_MAX - UINT32_MAX % bound;

	/* Rejection sampling keeps the draw uniform. getrandom on Linux does
	 * not fail for requests this small once the pool is initialised. */
	do {
		if (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v))
			v = (uint32_t)rand();
	} while (v >= limit);
	return v % bound;
}

static int usable_word(const char *w)
{
	return strpbrk(w, "ilo") == NULL;
}

void trap_generate(char user[TRAP_FIELD_MAX + 1], char pass[TRAP_FIELD_MAX + 1])
{
	static const char symbols[] = "!#";
	size_t nwords = 0;
	const char *w;

	while (trap_words[nwords] != NULL)
		nwords++;
	do
		w = trap_words[rnd((uint32_t)nwords)];
	while (!usable_word(w));
	snprintf(user, TRAP_FIELD_MAX + 1, "%s", users[rnd(sizeof(users) / sizeof(users[0]))]);
	/* Capitalised word, three digits 2-9 (no 0/1 to confuse with O/l), and
	 * sometimes a symbol: how people pick "strong" camera passwords. */
	snprintf(pass, TRAP_FIELD_MAX + 1, "%c%s%u%u%u%s", w[0] - 'a' + 'A', w + 1, 2 + rnd(8), 2 + rnd(8),
	         2 + rnd(8), rnd(3) == 0 ? (const char[]){symbols[rnd(2)], 0} : "");
}

trap_s *trap_new(trap_mode_e mode, const char *static_user, const char *static_pass)
{
	trap_s *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->tr_mode = mode;
	t->tr_nbuckets = 4096;
	t->tr_buckets = calloc(t->tr_nbuckets, sizeof(*t->tr_buckets));
	if (t->tr_buckets == NULL) {
		free(t);
		return NULL;
	}
	pthread_mutex_init(&t->tr_lock, NULL);
	snprintf(t->tr_static.tc_user, sizeof(t->tr_static.tc_user), "%s", static_user ? static_user : "");
	snprintf(t->tr_static.tc_pass, sizeof(t->tr_static.tc_pass), "%s", static_pass ? static_pass : "");
	return t;
}

void trap_free(trap_s *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->tr_nbuckets; i++)
		for (trap_entry_s *e = t->tr_buckets[i]; e != NULL;) {
			trap_entry_s *next = e->te_next;
			free(e);
			e = next;
		}
	free(t->tr_buckets);
	pthread_mutex_destroy(&t->tr_lock);
	free(t);
}

trap_mode_e trap_mode(const trap_s *t)
{
	return t->tr_mode;
}

const char *trap_match_name(trap_match_e m)
{
	switch (m) {
	case MATCH_EXACT: return "exact";
	case MATCH_PASSWORD: return "password-only";
	case MATCH_USERNAME: return "username-only";
	case MATCH_STATIC: return "static";
	case MATCH_NONE: break;
	}
	return "none";
}

static trap_entry_s *find_pass(trap_s *t, const char *pass, size_t plen)
{
	uint64_t h = hash_fnv1a(pass, plen);

	for (trap_entry_s *e = t->tr_buckets[h & (t->tr_nbuckets - 1)]; e != NULL; e = e->te_next)
		if (strlen(e->te_cred.tc_pass) == plen && memcmp(e->te_cred.tc_pass, pass, plen) == 0)
			return e;
	return NULL;
}

static int grow(trap_s *t)
{
	size_t nb = t->tr_nbuckets * 2;
	trap_entry_s **b = calloc(nb, sizeof(*b));

	if (b == NULL)
		return -1;
	for (size_t i = 0; i < t->tr_nbuckets; i++)
		for (trap_entry_s *e = t->tr_buckets[i]; e != NULL;) {
			trap_entry_s *next = e->te_next;
			size_t k = hash_fnv1a(e->te_cred.tc_pass, strlen(e->te_cred.tc_pass)) & (nb - 1);
			e->te_next = b[k];
			b[k] = e;
			e = next;
		}
	free(t->tr_buckets);
	t->tr_buckets = b;
	t->tr_nbuckets = nb;
	return 0;
}

/* Under tr_lock. Passwords are unique: a second add of one is refused. */
static int add_locked(trap_s *t, const trap_cred_s *c)
{
	size_t plen = strlen(c->tc_pass), k;
	trap_entry_s *e;

	if (plen == 0 || find_pass(t, c->tc_pass, plen) != NULL)
		return -1;
	if (t->tr_count >= t->tr_nbuckets && grow(t) != 0)
		return -1;
	e = malloc(sizeof(*e));
	if (e == NULL)
		return -1;
	e->te_cred = *c;
	k = hash_fnv1a(c->tc_pass, plen) & (t->tr_nbuckets - 1);
	e->te_next = t->tr_buckets[k];
	t->tr_buckets[k] = e;
	t->tr_count++;
	return 0;
}

int trap_add(trap_s *t, const trap_cred_s *c)
{
	int rc;

	pthread_mutex_lock(&t->tr_lock);
	rc = add_locked(t, c);
	pthread_mutex_unlock(&t->tr_lock);
	return rc;
}

size_t trap_count(const trap_s *t)
{
	return t->tr_count;
}

int trap_issue(trap_s *t, int64_t view_id, int64_t shown_at, const char *ip, const char *country,
               const char *referer_class, trap_cred_s *out)
{
	memset(out, 0, sizeof(*out));
	if (t->tr_mode == TRAP_OFF)
		return -1;
	if (t->tr_mode == TRAP_STATIC) {
		*out = t->tr_static;
	} else {
		int rc = -1;
		pthread_mutex_lock(&t->tr_lock);
		for (int tries = 0; tries < 64 && rc != 0; tries++) {
			trap_generate(out->tc_user, out->tc_pass);
			out->tc_view_id = view_id;
			out->tc_shown_at = shown_at;
			snprintf(out->tc_ip, sizeof(out->tc_ip), "%s", ip ? ip : "");
			snprintf(out->tc_country, sizeof(out->tc_country), "%s", country ? country : "");
			snprintf(out->tc_referer_class, sizeof(out->tc_referer_class), "%s",
			         referer_class ? referer_class : "");
			rc = add_locked(t, out);
		}
		pthread_mutex_unlock(&t->tr_lock);
		return rc;
	}
	out->tc_view_id = view_id;
	out->tc_shown_at = shown_at;
	return 0;
}

static int field_eq(const char *field, const char *s, size_t n)
{
	return strlen(field) == n && memcmp(field, s, n) == 0;
}

trap_match_e trap_match(trap_s *t, const char *user, size_t ulen, const char *pass, size_t plen,
                        trap_cred_s *out)
{
	trap_match_e m = MATCH_NONE;
	trap_entry_s *e;

	memset(out, 0, sizeof(*out));
	if (t->tr_mode == TRAP_STATIC) {
		if (field_eq(t->tr_static.tc_user, user, ulen) && field_eq(t->tr_static.tc_pass, pass, plen)) {
			*out = t->tr_static;
			return MATCH_STATIC;
		}
	}
	pthread_mutex_lock(&t->tr_lock);
	if ((e = find_pass(t, pass, plen)) != NULL) {
		*out = e->te_cred;
		m = field_eq(e->te_cred.tc_user, user, ulen) ? MATCH_EXACT : MATCH_PASSWORD;
	} else if (ulen > 0) {
		/* A username shown to exactly one viewer identifies that view. */
		trap_entry_s *only = NULL;
		int n = 0;
		for (size_t i = 0; i < t->tr_nbuckets && n < 2; i++)
			for (e = t->tr_buckets[i]; e != NULL && n < 2; e = e->te_next)
				if (field_eq(e->te_cred.tc_user, user, ulen)) {
					only = e;
					n++;
				}
		if (n == 1) {
			*out = only->te_cred;
			m = MATCH_USERNAME;
		}
	}
	pthread_mutex_unlock(&t->tr_lock);
	return m;
}

int trap_find_user(trap_s *t, const char *user, size_t ulen,
                   int (*ok)(const trap_cred_s *c, void *arg), void *arg, trap_cred_s *out)
{
	int found = 0;

	if (t->tr_mode == TRAP_STATIC && field_eq(t->tr_static.tc_user, user, ulen) &&
	    ok(&t->tr_static, arg)) {
		*out = t->tr_static;
		return 1;
	}
	pthread_mutex_lock(&t->tr_lock);
	for (size_t i = 0; i < t->tr_nbuckets && !found; i++)
		for (trap_entry_s *e = t->tr_buckets[i]; e != NULL && !found; e = e->te_next)
			if (field_eq(e->te_cred.tc_user, user, ulen) && ok(&e->te_cred, arg)) {
				*out = e->te_cred;
				found = 1;
			}
	pthread_mutex_unlock(&t->tr_lock);
	return found;
}
