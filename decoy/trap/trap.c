/* trap: a registry of credentials indexed by password (the seeded hash
 * table), guarded by one mutex (the HTTP thread and the Telnet thread both
 * match logins against it). */
#include "trap.h"
#include "htab.h"
#include "rand.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	htab_node_s te_node; /* by password */
	trap_cred_s te_cred;
} trap_entry_s;

struct trap {
	trap_mode_e tr_mode;
	trap_cred_s tr_static;
	pthread_mutex_t tr_lock;
	htab_s tr_table;
};

static int usable_word(const char *w)
{
	return strpbrk(w, "ilo") == NULL;
}

int trap_generate(char user[TRAP_FIELD_MAX + 1], char pass[TRAP_FIELD_MAX + 1])
{
	static const char symbols[] = "!#";
	size_t nwords = 0;
	uint32_t wi, ui, d[3], sym, which;

	while (trap_words[nwords] != NULL)
		nwords++;
	user[0] = pass[0] = '\0';
	do
		if (rand_below((uint32_t)nwords, &wi) != 0)
			return -1;
	while (!usable_word(trap_words[wi]));
	if (rand_below(sizeof(users) / sizeof(users[0]), &ui) != 0 || rand_below(8, &d[0]) != 0 ||
	    rand_below(8, &d[1]) != 0 || rand_below(8, &d[2]) != 0 || rand_below(3, &which) != 0 ||
	    rand_below(2, &sym) != 0)
		return -1;
	const char *w = trap_words[wi];
	snprintf(user, TRAP_FIELD_MAX + 1, "%s", users[ui]);
	/* Capitalised word, three digits 2-9 (no 0/1 to confuse with O/l), and
	 * sometimes a symbol: how people pick "strong" camera passwords. */
	snprintf(pass, TRAP_FIELD_MAX + 1, "%c%s%u%u%u%s", w[0] - 'a' + 'A', w + 1, 2 + d[0], 2 + d[1], 2 + d[2],
	         which == 0 ? (const char[]){symbols[sym], 0} : "");
	return 0;
}

trap_s *trap_new(trap_mode_e mode, const char *static_user, const char *static_pass)
{
	trap_s *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->tr_mode = mode;
	if (htab_init(&t->tr_table, 4096) != 0) {
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
	for (htab_node_s *n; (n = htab_pop(&t->tr_table)) != NULL;)
		free(HTAB_ENTRY(n, trap_entry_s, te_node));
	htab_destroy(&t->tr_table);
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

typedef struct {
	const char *pq_pass;
	size_t pq_len;
} pass_query_s;

static int pass_eq(const htab_node_s *n, const void *key)
{
	const trap_entry_s *e = HTAB_ENTRY(n, trap_entry_s, te_node);
	const pass_query_s *q = key;

	return strlen(e->te_cred.tc_pass) == q->pq_len && memcmp(e->te_cred.tc_pass, q->pq_pass, q->pq_len) == 0;
}

static trap_entry_s *find_pass(trap_s *t, const char *pass, size_t plen)
{
	htab_node_s *n = htab_find(&t->tr_table, htab_hash(pass, plen), pass_eq, &(pass_query_s){pass, plen});

	return n != NULL ? HTAB_ENTRY(n, trap_entry_s, te_node) : NULL;
}

/* Under tr_lock. Passwords are unique: a second add of one is refused. */
static int add_locked(trap_s *t, const trap_cred_s *c)
{
	size_t plen = strlen(c->tc_pass);
	trap_entry_s *e;

	if (plen == 0 || find_pass(t, c->tc_pass, plen) != NULL)
		return -1;
	e = malloc(sizeof(*e));
	if (e == NULL)
		return -1;
	e->te_cred = *c;
	htab_insert(&t->tr_table, &e->te_node, htab_hash(c->tc_pass, plen));
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
	return t->tr_table.ht_count;
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
			if (trap_generate(out->tc_user, out->tc_pass) != 0)
				break;
			out->tc_view_id = view_id;
			out->tc_shown_at = shown_at;
			snprintf(out->tc_ip, sizeof(out->tc_ip), "%s", ip ? ip : "");
			snprintf(out->tc_country, sizeof(out->tc_country), "%s", country ? country : "");
			snprintf(out->tc_referer_class, sizeof(out->tc_referer_class), "%s",
			         referer_class ? referer_class : "");
			rc = add_locked(t, out);
		}
		pthread_mutex_unlock(&t->tr_lock);
		/* Fail closed: a draw that was refused is never shown. */
		if (rc != 0)
			memset(out, 0, sizeof(*out));
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
		htab_iter_s it;
		htab_iter_init(&t->tr_table, &it);
		for (htab_node_s *hn; n < 2 && (hn = htab_iter_next(&t->tr_table, &it)) != NULL;) {
			e = HTAB_ENTRY(hn, trap_entry_s, te_node);
			if (field_eq(e->te_cred.tc_user, user, ulen)) {
				only = e;
				n++;
			}
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
	htab_iter_s it;
	htab_iter_init(&t->tr_table, &it);
	for (htab_node_s *hn; !found && (hn = htab_iter_next(&t->tr_table, &it)) != NULL;) {
		const trap_entry_s *e = HTAB_ENTRY(hn, trap_entry_s, te_node);
		if (field_eq(e->te_cred.tc_user, user, ulen) && ok(&e->te_cred, arg)) {
			*out = e->te_cred;
			found = 1;
		}
	}
	pthread_mutex_unlock(&t->tr_lock);
	return found;
}
