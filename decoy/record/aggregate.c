/* aggregate: a seeded hash table of counts with a list for taking them all at commit. */
#include "aggregate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct aggtab {
	htab_s at_table;
	agg_s *at_list;
	size_t at_max;
};

aggtab_s *aggtab_new(size_t max_keys)
{
	aggtab_s *t = calloc(1, sizeof(*t));

	if (t == NULL || htab_init(&t->at_table, 1024) != 0) {
		free(t);
		return NULL;
	}
	t->at_max = max_keys;
	return t;
}

void aggtab_free(aggtab_s *t)
{
	if (t == NULL)
		return;
	agg_list_free(t->at_list);
	htab_destroy(&t->at_table);
	free(t);
}

typedef struct {
	int64_t aq_hour;
	const char *aq_kind, *aq_net;
} agg_query_s;

static int agg_eq(const htab_node_s *n, const void *key)
{
	const agg_s *a = HTAB_ENTRY(n, agg_s, ag_node);
	const agg_query_s *q = key;

	return a->ag_hour == q->aq_hour && a->ag_kind == q->aq_kind &&
	       strcmp(a->ag_net, q->aq_net) == 0;
}

static uint64_t agg_hash(int64_t hour, const char *kind, const char *net)
{
	char key[96];
	int n = snprintf(key, sizeof(key), "%lld %s %s", (long long)hour, kind, net);

	return htab_hash(key, n > 0 && (size_t)n < sizeof(key) ? (size_t)n : sizeof(key) - 1);
}

int aggtab_add(aggtab_s *t, int64_t hour, const char *kind, const char *net, uint64_t count)
{
	htab_node_s *n;
	agg_s *a;
	uint64_t h;

	if (t->at_table.ht_count >= t->at_max)
		net = "*";
	h = agg_hash(hour, kind, net);
	n = htab_find(&t->at_table, h, agg_eq, &(agg_query_s){hour, kind, net});
	if (n != NULL) {
		HTAB_ENTRY(n, agg_s, ag_node)->ag_count += count;
		return 0;
	}
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return -1;
	a->ag_hour = hour;
	a->ag_kind = kind;
	snprintf(a->ag_net, sizeof(a->ag_net), "%s", net);
	a->ag_count = count;
	htab_insert(&t->at_table, &a->ag_node, h);
	a->ag_next = t->at_list;
	t->at_list = a;
	return 0;
}

size_t aggtab_count(const aggtab_s *t)
{
	return t->at_table.ht_count;
}

agg_s *aggtab_take(aggtab_s *t)
{
	agg_s *list = t->at_list;

	t->at_list = NULL;
	htab_clear(&t->at_table);
	return list;
}

void aggtab_merge(aggtab_s *t, agg_s *list)
{
	while (list != NULL) {
		agg_s *next = list->ag_next;
		htab_node_s *n =
		    htab_find(&t->at_table, agg_hash(list->ag_hour, list->ag_kind, list->ag_net),
		              agg_eq, &(agg_query_s){list->ag_hour, list->ag_kind, list->ag_net});
		if (n != NULL) {
			HTAB_ENTRY(n, agg_s, ag_node)->ag_count += list->ag_count;
			free(list);
		} else {
			htab_insert(&t->at_table, &list->ag_node,
			            agg_hash(list->ag_hour, list->ag_kind, list->ag_net));
			list->ag_next = t->at_list;
			t->at_list = list;
		}
		list = next;
	}
}

void agg_list_free(agg_s *list)
{
	while (list != NULL) {
		agg_s *next = list->ag_next;
		free(list);
		list = next;
	}
}
