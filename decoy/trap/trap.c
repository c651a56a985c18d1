/* trap: issue numbers handed out under one mutex, each spelled by credcode;
 * the last TRAP_RECENT credentials kept in a ring indexed by password, for
 * the logins that arrive before the database has them. Everything older is
 * matched in the database (credstore), so memory stays bounded however many
 * credentials were ever shown. */
#include "trap.h"
#include "credcode.h"
#include "htab.h"
#include "log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRAP_RECENT 16384

typedef struct {
	htab_node_s te_node; /* by password, while in the ring */
	trap_cred_s te_cred;
} trap_entry_s;

struct trap {
	trap_mode_e tr_mode;
	trap_cred_s tr_static;
	credcode_s tr_code;
	pthread_mutex_t tr_lock;
	uint64_t tr_next;             /* next issue number */
	_Atomic uint64_t tr_reserved; /* numbers below are reserved in the database */
	uint64_t tr_asked;            /* reservation asked for, up to */
	void (*tr_reserve)(void *arg, uint64_t upto);
	void *tr_reserve_arg;
	trap_entry_s *tr_ring; /* TRAP_RECENT entries, oldest at tr_head when full */
	size_t tr_head, tr_len;
	htab_s tr_table;
	uint64_t tr_issued, tr_unavailable;
	int tr_told; /* exhaustion logged */
};

int trap_generate(const uint8_t key[16], uint64_t seq, char user[TRAP_FIELD_MAX + 1],
                  char pass[TRAP_FIELD_MAX + 1])
{
	credcode_s c;
	char u[CREDCODE_USER_MAX + 1], p[CREDCODE_PASS_MAX + 1];

	credcode_init(&c, key);
	if (credcode_encode(&c, seq, u, p) != 0) {
		user[0] = pass[0] = '\0';
		return -1;
	}
	snprintf(user, TRAP_FIELD_MAX + 1, "%s", u);
	snprintf(pass, TRAP_FIELD_MAX + 1, "%s", p);
	return 0;
}

trap_s *trap_new(trap_mode_e mode, const char *static_user, const char *static_pass,
                 const trap_seq_s *seq)
{
	trap_s *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->tr_mode = mode;
	if (mode == TRAP_PER_VIEWER) {
		if (seq == NULL || seq->ts_key == NULL ||
		    (t->tr_ring = calloc(TRAP_RECENT, sizeof(*t->tr_ring))) == NULL ||
		    htab_init(&t->tr_table, TRAP_RECENT) != 0) {
			free(t->tr_ring);
			free(t);
			return NULL;
		}
		credcode_init(&t->tr_code, seq->ts_key);
		t->tr_next = seq->ts_next > 0 ? seq->ts_next : 1;
		atomic_init(&t->tr_reserved, seq->ts_reserved);
		t->tr_asked = seq->ts_reserved;
	}
	pthread_mutex_init(&t->tr_lock, NULL);
	snprintf(t->tr_static.tc_user, sizeof(t->tr_static.tc_user), "%s",
	         static_user ? static_user : "");
	snprintf(t->tr_static.tc_pass, sizeof(t->tr_static.tc_pass), "%s",
	         static_pass ? static_pass : "");
	return t;
}

void trap_free(trap_s *t)
{
	if (t == NULL)
		return;
	if (t->tr_ring != NULL)
		htab_destroy(&t->tr_table);
	free(t->tr_ring);
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
	case MATCH_EXACT:
		return "exact";
	case MATCH_PASSWORD:
		return "password-only";
	case MATCH_USERNAME:
		return "username-only";
	case MATCH_STATIC:
		return "static";
	case MATCH_NONE:
		break;
	}
	return "none";
}

void trap_set_reserver(trap_s *t, void (*fn)(void *arg, uint64_t upto), void *arg)
{
	pthread_mutex_lock(&t->tr_lock);
	t->tr_reserve = fn;
	t->tr_reserve_arg = arg;
	pthread_mutex_unlock(&t->tr_lock);
}

void trap_reserved(trap_s *t, uint64_t upto)
{
	uint64_t cur = atomic_load(&t->tr_reserved);

	while (upto > cur && !atomic_compare_exchange_weak(&t->tr_reserved, &cur, upto))
		;
}

typedef struct {
	const char *pq_pass;
	size_t pq_len;
} pass_query_s;

static int pass_eq(const htab_node_s *n, const void *key)
{
	const trap_entry_s *e = HTAB_ENTRY(n, trap_entry_s, te_node);
	const pass_query_s *q = key;

	return strlen(e->te_cred.tc_pass) == q->pq_len &&
	       memcmp(e->te_cred.tc_pass, q->pq_pass, q->pq_len) == 0;
}

/* Under tr_lock: the next number, if the database has it reserved. */
static uint64_t take_seq(trap_s *t)
{
	uint64_t reserved = atomic_load(&t->tr_reserved), seq = t->tr_next;

	if (seq >= CREDCODE_SPACE || seq >= reserved)
		return 0;
	t->tr_next++;
	/* Ask for the next block half-way through this one: the database has
	 * a whole half-block of views' time to write it. */
	if (t->tr_reserve != NULL && t->tr_asked - seq < TRAP_RESERVE_BLOCK / 2 &&
	    t->tr_asked < CREDCODE_SPACE) {
		t->tr_asked += TRAP_RESERVE_BLOCK;
		t->tr_reserve(t->tr_reserve_arg, t->tr_asked);
	}
	return seq;
}

/* Under tr_lock: c joins the ring, the oldest leaves it. */
static void remember(trap_s *t, const trap_cred_s *c)
{
	trap_entry_s *e;

	if (t->tr_len == TRAP_RECENT) {
		e = &t->tr_ring[t->tr_head];
		htab_remove(&t->tr_table, &e->te_node);
		t->tr_head = (t->tr_head + 1) % TRAP_RECENT;
	} else {
		e = &t->tr_ring[(t->tr_head + t->tr_len) % TRAP_RECENT];
		t->tr_len++;
	}
	e->te_cred = *c;
	htab_insert(&t->tr_table, &e->te_node, htab_hash(c->tc_pass, strlen(c->tc_pass)));
}

int trap_issue(trap_s *t, int64_t view_id, int64_t shown_at, const char *ip, const char *country,
               const char *referer_class, trap_cred_s *out)
{
	uint64_t seq;

	memset(out, 0, sizeof(*out));
	if (t->tr_mode == TRAP_OFF)
		return -1;
	if (t->tr_mode == TRAP_STATIC) {
		*out = t->tr_static;
		out->tc_view_id = view_id;
		out->tc_shown_at = shown_at;
		return 0;
	}
	out->tc_view_id = view_id;
	out->tc_shown_at = shown_at;
	snprintf(out->tc_ip, sizeof(out->tc_ip), "%s", ip ? ip : "");
	snprintf(out->tc_country, sizeof(out->tc_country), "%s", country ? country : "");
	snprintf(out->tc_referer_class, sizeof(out->tc_referer_class), "%s",
	         referer_class ? referer_class : "");
	pthread_mutex_lock(&t->tr_lock);
	seq = take_seq(t);
	if (seq != 0 && trap_generate(t->tr_code.cc_key, seq, out->tc_user, out->tc_pass) == 0) {
		out->tc_seq = seq;
		remember(t, out);
		t->tr_issued++;
	} else {
		/* Fail closed: no number, no credential; never an old one. */
		seq = 0;
		t->tr_unavailable++;
		if (!t->tr_told) {
			t->tr_told = 1;
			log_warnx("trap: no unused credential to issue (next %llu, reserved below "
			          "%llu): views show none",
			          (unsigned long long)t->tr_next,
			          (unsigned long long)atomic_load(&t->tr_reserved));
		}
	}
	pthread_mutex_unlock(&t->tr_lock);
	if (seq == 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

static int field_eq(const char *field, const char *s, size_t n)
{
	return strlen(field) == n && memcmp(field, s, n) == 0;
}

int trap_static_cred(trap_s *t, trap_cred_s *out)
{
	if (t->tr_mode != TRAP_STATIC)
		return 0;
	*out = t->tr_static;
	return 1;
}

int trap_static(trap_s *t, const char *user, size_t ulen, const char *pass, size_t plen,
                trap_cred_s *out)
{
	if (t->tr_mode != TRAP_STATIC || !field_eq(t->tr_static.tc_user, user, ulen) ||
	    !field_eq(t->tr_static.tc_pass, pass, plen))
		return 0;
	*out = t->tr_static;
	return 1;
}

int trap_recent(trap_s *t, const char *pass, size_t plen, trap_cred_s *out)
{
	htab_node_s *n;
	int found = 0;

	if (t->tr_ring == NULL || plen == 0)
		return 0;
	pthread_mutex_lock(&t->tr_lock);
	n = htab_find(&t->tr_table, htab_hash(pass, plen), pass_eq, &(pass_query_s){pass, plen});
	if (n != NULL) {
		*out = HTAB_ENTRY(n, trap_entry_s, te_node)->te_cred;
		found = 1;
	}
	pthread_mutex_unlock(&t->tr_lock);
	return found;
}

typedef struct {
	trap_s *ua_trap;
	int ua_recent_only;
	int (*ua_fn)(const trap_cred_s *c, void *arg);
	void *ua_arg;
} user_walk_s;

static int user_candidate(uint64_t seq, void *arg)
{
	user_walk_s *w = arg;
	trap_cred_s c;

	memset(&c, 0, sizeof(c));
	if (credcode_encode(&w->ua_trap->tr_code, seq, c.tc_user, c.tc_pass) != 0)
		return 0;
	/* in memory: the view that was shown it */
	if (!trap_recent(w->ua_trap, c.tc_pass, strlen(c.tc_pass), &c) && w->ua_recent_only)
		return 0;
	c.tc_seq = seq;
	return w->ua_fn(&c, w->ua_arg);
}

int trap_user_each(trap_s *t, const char *user, size_t ulen, int recent_only,
                   int (*fn)(const trap_cred_s *c, void *arg), void *arg)
{
	user_walk_s w = {t, recent_only, fn, arg};
	uint64_t lo = 1, hi;

	if (t->tr_mode != TRAP_PER_VIEWER)
		return -1;
	pthread_mutex_lock(&t->tr_lock);
	hi = t->tr_next;
	if (recent_only)
		lo = t->tr_len > 0 ? t->tr_ring[t->tr_head].te_cred.tc_seq : hi;
	pthread_mutex_unlock(&t->tr_lock);
	/* the lock is not held across fn, which may read the database */
	return credcode_each_seq(&t->tr_code, user, ulen, lo, hi, user_candidate, &w);
}

int trap_plausible(trap_s *t, const char *user, size_t ulen, const char *pass, size_t plen)
{
	uint64_t seq, next;

	if (t->tr_mode == TRAP_STATIC)
		return user != NULL && field_eq(t->tr_static.tc_user, user, ulen);
	if (t->tr_mode != TRAP_PER_VIEWER)
		return 0;
	pthread_mutex_lock(&t->tr_lock);
	next = t->tr_next;
	pthread_mutex_unlock(&t->tr_lock);
	if (pass != NULL && (seq = credcode_decode(&t->tr_code, pass, plen)) != 0 && seq < next)
		return 1;
	/* Digest (only the username arrives), or a username-only match */
	return user != NULL && credcode_user_issued(&t->tr_code, user, ulen, next);
}

void trap_stats(trap_s *t, trap_stats_s *out)
{
	pthread_mutex_lock(&t->tr_lock);
	out->tst_issued = t->tr_issued;
	out->tst_unavailable = t->tr_unavailable;
	out->tst_next = t->tr_next;
	pthread_mutex_unlock(&t->tr_lock);
}

void trap_note_text(const char *user, const char *pass, char *out, size_t cap)
{
	snprintf(out, cap, "%s / %s", user, pass);
}
