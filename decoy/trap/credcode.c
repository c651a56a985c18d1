/* credcode: the per-viewer credential space, as a keyed permutation.
 *
 * Issue number seq (1 .. CREDCODE_SPACE - 1) is mapped by an 8-round Feistel
 * network on 30 bits, keyed with SipHash, to a code; the code spells a
 * password: two capitalised words, four digits 2-9 and an ending
 * ("AmberTucker4827#"). The map is a bijection, so distinct issue numbers
 * give distinct passwords for as long as the numbers do not repeat, and a
 * password decodes back to its number without any table.
 *
 * The username is what a Digest login brings (the password never arrives),
 * so it is what bounds the search: an initial, a surname and two digits 2-9
 * ("jcarter47"), 65,536 of them, dealt out block by block. Issue numbers
 * come in blocks of 65,536; within a block a keyed permutation (a 4-round
 * Feistel network on 16 bits, keyed with the block) gives each number its
 * own username, so after n issues no username has been shown more than
 * ceil(n / 65,536) times, and the numbers a username stands for are computed
 * (one per block) instead of looked up. Databases from before kept the old
 * spelling, an initial and a surname ("jcarter", drawn by a hash): those
 * are still recognised (credcode_user_legacy). */
#include "credcode.h"

#include "htab.h"

#include <stdio.h>
#include <string.h>

/* 256 words, none with i, l or o (read as 1, 1 and 0 on a small picture). */
static const char *const words[256] = {
    "agent",  "amber",  "arena",  "aspen",  "autumn", "avenue", "badger", "baker",  "banana",
    "banner", "barber", "barney", "basket", "baxter", "beach",  "bench",  "berry",  "brass",
    "brave",  "bread",  "breeze", "brush",  "bucket", "bunker", "burger", "buster", "butter",
    "cabana", "cactus", "cadet",  "camera", "camper", "candy",  "canter", "canvas", "carpet",
    "carter", "carver", "cashew", "cavern", "cedar",  "center", "chance", "change", "charm",
    "chart",  "chase",  "check",  "cheese", "cherry", "cherub", "chess",  "crafty", "cream",
    "crest",  "crush",  "curve",  "dancer", "dapper", "denver", "depth",  "derby",  "desert",
    "dexter", "dream",  "drum",   "earth",  "easter", "ember",  "energy", "enter",  "fancy",
    "feast",  "ferry",  "fever",  "frank",  "fresh",  "fudge",  "future", "gadget", "gamma",
    "gander", "garage", "garden", "garner", "garnet", "geese",  "grace",  "grand",  "grape",
    "grass",  "gravy",  "green",  "guard",  "guest",  "gusty",  "hammer", "hamper", "hanger",
    "happy",  "harper", "hatch",  "hatter", "haven",  "hawk",   "heart",  "heath",  "heaven",
    "hedge",  "hefty",  "hermes", "hunter", "husky",  "jacket", "jagged", "jaguar", "jasper",
    "jazz",   "jersey", "judge",  "jumper", "kansas", "kappa",  "karma",  "kayak",  "keeper",
    "knack",  "magnet", "manner", "march",  "marker", "market", "master", "matter", "merry",
    "nature", "nectar", "nevada", "nugget", "number", "nutmeg", "nutty",  "packer", "panda",
    "paper",  "parade", "parker", "party",  "pasta",  "patch",  "peach",  "pecan",  "penny",
    "pepper", "perch",  "phase",  "prance", "press",  "prune",  "punch",  "puppy",  "quaker",
    "quartz", "queen",  "quest",  "racket", "radar",  "ramsey", "ranch",  "ranger", "raven",
    "reader", "rescue", "reset",  "rhythm", "runner", "rusty",  "saber",  "sandy",  "sapper",
    "saturn", "scarf",  "scene",  "seeker", "shade",  "shaft",  "shape",  "share",  "shark",
    "sheep",  "shrub",  "sketch", "smart",  "snack",  "spark",  "sparky", "spear",  "speed",
    "spruce", "square", "stack",  "stamp",  "stand",  "star",   "steak",  "steam",  "steer",
    "stream", "street", "sugar",  "summer", "sunny",  "sunset", "super",  "surf",   "swamp",
    "sweet",  "sydney", "taffy",  "tamper", "tanner", "target", "teacup", "temper", "tender",
    "texas",  "thread", "trace",  "track",  "trader", "trend",  "truck",  "trust",  "tucker",
    "tundra", "turkey", "twenty", "umber",  "uranus", "urban",  "venus",  "verse",  "vertex",
    "wafer",  "water",  "weave",  "wedge",  "wharf",  "wheat",  "wreath", "wrench", "yacht",
    "yankee", "yeast",  "zebra",  "zephyr",
};

/* 64 surnames and 16 initials, with the same rule. */
static const char *const surnames[64] = {
    "carter",  "parker", "baker",   "tanner",  "hunter",  "baxter", "spencer", "ramsey",
    "becker",  "turner", "warner",  "harper",  "barnes",  "hayes",  "myers",   "sanders",
    "chapman", "graham", "stewart", "bennett", "burke",   "hart",   "grant",   "hughes",
    "perry",   "reyes",  "ward",    "watts",   "webb",    "may",    "day",     "gray",
    "hardy",   "henry",  "barker",  "archer",  "fraser",  "mercer", "bryant",  "crane",
    "drake",   "duncan", "everett", "frank",   "garrett", "hansen", "jensen",  "kramer",
    "mann",    "nash",   "page",    "pearce",  "reed",    "ray",    "sharpe",  "shaw",
    "tate",    "vance",  "weaver",  "yates",   "murray",  "meyer",  "wagner",  "hunt",
};
static const char initials[16] = "abcdefghjkmnprst";
static const char *const endings[4] = {"", "!", "#", "$"};

#define HALF_BITS (CREDCODE_BITS / 2)
#define HALF_MASK ((1u << HALF_BITS) - 1)
#define ROUNDS    8

void credcode_init(credcode_s *c, const uint8_t key[16])
{
	memcpy(c->cc_key, key, sizeof(c->cc_key));
}

static uint32_t round_fn(const credcode_s *c, unsigned r, uint32_t half)
{
	const uint8_t in[4] = {(uint8_t)r, (uint8_t)(half >> 8), (uint8_t)half, 'F'};

	return (uint32_t)htab_siphash(c->cc_key, in, sizeof(in)) & HALF_MASK;
}

static uint32_t permute(const credcode_s *c, uint32_t x)
{
	uint32_t l = x >> HALF_BITS, r = x & HALF_MASK;

	for (unsigned i = 0; i < ROUNDS; i++) {
		uint32_t t = l ^ round_fn(c, i, r);
		l = r;
		r = t;
	}
	return l << HALF_BITS | r;
}

static uint32_t unpermute(const credcode_s *c, uint32_t y)
{
	uint32_t l = y >> HALF_BITS, r = y & HALF_MASK;

	for (unsigned i = ROUNDS; i-- > 0;) {
		uint32_t t = r ^ round_fn(c, i, l);
		r = l;
		l = t;
	}
	return l << HALF_BITS | r;
}

#define USER_BITS   16
#define USER_HALF   8
#define USER_ROUNDS 4

static uint32_t user_round(const credcode_s *c, uint64_t block, unsigned r, uint32_t half)
{
	uint8_t in[11] = {'U', (uint8_t)r, (uint8_t)half};

	for (int i = 0; i < 8; i++)
		in[3 + i] = (uint8_t)(block >> (8 * i));
	return (uint32_t)htab_siphash(c->cc_key, in, sizeof(in)) & ((1u << USER_HALF) - 1);
}

/* The username index of seq: a permutation of the block's 65,536 numbers. */
static unsigned user_index(const credcode_s *c, uint64_t seq)
{
	uint64_t block = seq >> USER_BITS;
	uint32_t l = (uint32_t)(seq >> USER_HALF) & 255, r = (uint32_t)seq & 255;

	for (unsigned i = 0; i < USER_ROUNDS; i++) {
		uint32_t t = l ^ user_round(c, block, i, r);
		l = r;
		r = t;
	}
	return l << USER_HALF | r;
}

/* The issue number of block whose username index is u. */
static uint64_t user_seq(const credcode_s *c, uint64_t block, unsigned u)
{
	uint32_t l = u >> USER_HALF & 255, r = u & 255;

	for (unsigned i = USER_ROUNDS; i-- > 0;) {
		uint32_t t = r ^ user_round(c, block, i, l);
		r = l;
		l = t;
	}
	return block << USER_BITS | (uint64_t)(l << USER_HALF | r);
}

int credcode_encode(const credcode_s *c, uint64_t seq, char user[CREDCODE_USER_MAX + 1],
                    char pass[CREDCODE_PASS_MAX + 1])
{
	uint32_t code;
	unsigned u;
	const char *w1, *w2;

	user[0] = pass[0] = '\0';
	if (seq == 0 || seq >= CREDCODE_SPACE)
		return -1;
	code = permute(c, (uint32_t)seq);
	w1 = words[code >> 22];
	w2 = words[(code >> 14) & 255];
	u = user_index(c, seq);
	snprintf(user, CREDCODE_USER_MAX + 1, "%c%s%u%u", initials[u >> 12],
	         surnames[(u >> 6) & 63], 2 + ((u >> 3) & 7), 2 + (u & 7));
	snprintf(pass, CREDCODE_PASS_MAX + 1, "%c%s%c%s%u%u%u%u%s", w1[0] - 'a' + 'A', w1 + 1,
	         w2[0] - 'a' + 'A', w2 + 1, 2 + ((code >> 11) & 7), 2 + ((code >> 8) & 7),
	         2 + ((code >> 5) & 7), 2 + ((code >> 2) & 7), endings[code & 3]);
	return 0;
}

/* The index of the capitalised word at s (len bytes, up to the next capital
 * or digit), or -1. */
static int word_at(const char *s, size_t len, size_t *used)
{
	char w[8];
	size_t n = 0;
	int lo = 0, hi = 255;

	if (len == 0 || s[0] < 'A' || s[0] > 'Z')
		return -1;
	w[n++] = (char)(s[0] - 'A' + 'a');
	while (n < len && n < sizeof(w) - 1 && s[n] >= 'a' && s[n] <= 'z') {
		w[n] = s[n];
		n++;
	}
	w[n] = '\0';
	*used = n;
	while (lo <= hi) {
		int mid = (lo + hi) / 2, cmp = strcmp(w, words[mid]);
		if (cmp == 0)
			return mid;
		if (cmp < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return -1;
}

uint64_t credcode_decode(const credcode_s *c, const char *pass, size_t len)
{
	size_t n1, n2, at;
	int w1, w2, e = -1;
	uint32_t code, digits = 0;

	if ((w1 = word_at(pass, len, &n1)) < 0 || (w2 = word_at(pass + n1, len - n1, &n2)) < 0)
		return 0;
	at = n1 + n2;
	if (len - at < 4)
		return 0;
	for (int i = 0; i < 4; i++) {
		char d = pass[at + (size_t)i];
		if (d < '2' || d > '9')
			return 0;
		digits = digits << 3 | (uint32_t)(d - '2');
	}
	at += 4;
	for (int k = 0; k < 4; k++)
		if (strlen(endings[k]) == len - at && memcmp(endings[k], pass + at, len - at) == 0)
			e = k;
	if (e < 0)
		return 0;
	code = (uint32_t)w1 << 22 | (uint32_t)w2 << 14 | digits << 2 | (uint32_t)e;
	return unpermute(c, code);
}

/* The surname's index, or -1. */
static int surname_at(const char *s, size_t len)
{
	for (int i = 0; i < 64; i++)
		if (strlen(surnames[i]) == len && memcmp(surnames[i], s, len) == 0)
			return i;
	return -1;
}

static int initial_at(char c)
{
	const char *at = memchr(initials, c, sizeof(initials));

	return at != NULL ? (int)(at - initials) : -1;
}

int credcode_user_index(const char *user, size_t len)
{
	int i, s;

	if (len < 4 || (i = initial_at(user[0])) < 0 || (s = surname_at(user + 1, len - 3)) < 0)
		return -1;
	for (size_t k = len - 2; k < len; k++)
		if (user[k] < '2' || user[k] > '9')
			return -1;
	return i << 12 | s << 6 | (user[len - 2] - '2') << 3 | (user[len - 1] - '2');
}

int credcode_user_legacy(const char *user, size_t len)
{
	return len >= 2 && initial_at(user[0]) >= 0 && surname_at(user + 1, len - 1) >= 0;
}

int credcode_user_plausible(const char *user, size_t len)
{
	return credcode_user_index(user, len) >= 0 || credcode_user_legacy(user, len);
}

int credcode_user_issued(const credcode_s *c, const char *user, size_t len, uint64_t next)
{
	int u = credcode_user_index(user, len);
	uint64_t first;

	if (u < 0)
		return credcode_user_legacy(user, len);
	if (next > CREDCODE_USERS)
		return 1;
	first = user_seq(c, 0, (unsigned)u);
	return first >= 1 && first < next;
}

int credcode_each_seq(const credcode_s *c, const char *user, size_t len, uint64_t lo, uint64_t hi,
                      int (*fn)(uint64_t seq, void *arg), void *arg)
{
	int u = credcode_user_index(user, len), rc = 0;

	if (u < 0)
		return -1;
	hi = hi < CREDCODE_SPACE ? hi : CREDCODE_SPACE;
	lo = lo > 0 ? lo : 1;
	if (lo >= hi)
		return 0;
	/* one candidate per block, newest block first */
	for (uint64_t b = (hi - 1) >> USER_BITS;; b--) {
		uint64_t seq = user_seq(c, b, (unsigned)u);
		if (seq >= lo && seq < hi && (rc = fn(seq, arg)) != 0)
			return rc;
		if (b == 0 || (b << USER_BITS) <= lo)
			return 0;
	}
}

void credcode_widest(char *out, size_t n)
{
	/* As many of the widest letter as the longest username and words have. */
	size_t su = 0, sw = 0;

	for (int i = 0; i < 64; i++)
		su = strlen(surnames[i]) > su ? strlen(surnames[i]) : su;
	for (int i = 0; i < 256; i++)
		sw = strlen(words[i]) > sw ? strlen(words[i]) : sw;
	snprintf(out, n, "m%.*s88 / M%.*sM%.*s8888#", (int)su, "mmmmmmmmmmmm", (int)sw - 1,
	         "mmmmmmmmmmmm", (int)sw - 1, "mmmmmmmmmmmm");
}
