/* discovery: one UDP socket on its own thread. A Probe is recorded; in
 * answer mode one ProbeMatch goes back to the sender's own address, never
 * to a multicast group, and only within three limits: the bytes sent to an
 * address never exceed the bytes received from it over DISCOVERY_WINDOW_MS
 * (a spoofed sender gains nothing: amplification at most 1), one answer per
 * address per DISCOVERY_ADDR_GAP_MS, and DISCOVERY_GLOBAL_PER_S in all. */
#include "discovery.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "escape.h"
#include "rand.h"
#include "thread.h"

/* ---- the limiter ---- */

typedef struct {
	uint8_t le_addr[16];
	int le_family; /* 0: free */
	int64_t le_window, le_last;
	uint64_t le_rx, le_tx;
} limit_entry_s;

struct discovery_limit {
	limit_entry_s dl_e[DISCOVERY_ADDRS];
	uint64_t dl_seed;
	double dl_tokens;
	int64_t dl_refill;
};

discovery_limit_s *discovery_limit_new(void)
{
	discovery_limit_s *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	if (rand_bytes(&l->dl_seed, sizeof(l->dl_seed)) != 0)
		rand_weak(&l->dl_seed, sizeof(l->dl_seed));
	l->dl_tokens = DISCOVERY_GLOBAL_PER_S;
	l->dl_refill = -1;
	return l;
}

void discovery_limit_free(discovery_limit_s *l)
{
	free(l);
}

/* The address's entry: found, or a free one, or the oldest of its probe
 * run, forgotten (counts from zero). Never NULL. */
static limit_entry_s *limit_entry(discovery_limit_s *l, int family, const uint8_t addr[16],
                                  int64_t now_ms)
{
	uint64_t h = 1469598103934665603ULL ^ l->dl_seed;
	limit_entry_s *oldest = NULL, *spare = NULL;

	for (int i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 1099511628211ULL;
	for (int i = 0; i < 16; i++) {
		limit_entry_s *e = &l->dl_e[(h + (uint64_t)i) % DISCOVERY_ADDRS];
		if (e->le_family == family && memcmp(e->le_addr, addr, 16) == 0) {
			if (now_ms - e->le_window >= DISCOVERY_WINDOW_MS) {
				e->le_window = now_ms;
				e->le_rx = e->le_tx = 0;
			}
			return e;
		}
		if (spare == NULL &&
		    (e->le_family == 0 || now_ms - e->le_window >= DISCOVERY_WINDOW_MS))
			spare = e;
		if (oldest == NULL || e->le_window < oldest->le_window)
			oldest = e;
	}
	if (spare != NULL)
		oldest = spare;
	memset(oldest, 0, sizeof(*oldest));
	oldest->le_family = family;
	memcpy(oldest->le_addr, addr, 16);
	oldest->le_window = now_ms;
	oldest->le_last = INT64_MIN / 2;
	return oldest;
}

void discovery_limit_received(discovery_limit_s *l, int family, const uint8_t addr[16], size_t n,
                              int64_t now_ms)
{
	limit_entry(l, family, addr, now_ms)->le_rx += n;
}

int discovery_limit_take(discovery_limit_s *l, int family, const uint8_t addr[16], size_t n,
                         int64_t now_ms)
{
	limit_entry_s *e = limit_entry(l, family, addr, now_ms);

	if (l->dl_refill < 0)
		l->dl_refill = now_ms;
	l->dl_tokens += (double)(now_ms - l->dl_refill) * DISCOVERY_GLOBAL_PER_S / 1000.0;
	if (l->dl_tokens > DISCOVERY_GLOBAL_PER_S)
		l->dl_tokens = DISCOVERY_GLOBAL_PER_S;
	l->dl_refill = now_ms;
	if (e->le_tx + n > e->le_rx || now_ms - e->le_last < DISCOVERY_ADDR_GAP_MS ||
	    l->dl_tokens < 1.0)
		return 0;
	l->dl_tokens -= 1.0;
	e->le_tx += n;
	e->le_last = now_ms;
	return 1;
}

/* ---- the answer ---- */

int discovery_wanted(const soap_probe_s *p)
{
	const char *t = p->sp_types.st_s;

	return t[0] == '\0' || strstr(t, "NetworkVideoTransmitter") != NULL ||
	       strstr(t, "Device") != NULL;
}

size_t discovery_match(const persona_onvif_s *po, const soap_probe_s *p, const char *host,
                       unsigned port, const char *message_id, char *buf, size_t cap)
{
	char relates[3 * SOAP_FIELD_MAX + 8], h[256], scopes[1024], s[512], hp[16] = "";
	size_t n = 0;
	int w;

	escape_html(relates, sizeof(relates), p->sp_message_id.st_s, p->sp_message_id.st_len);
	escape_html(h, sizeof(h), host, strlen(host));
	scopes[0] = '\0';
	for (size_t i = 0; i < sizeof(po->po_scopes) / sizeof(po->po_scopes[0]) && po->po_scopes[i];
	     i++) {
		escape_html(s, sizeof(s), po->po_scopes[i], strlen(po->po_scopes[i]));
		if (n + strlen(s) + 2 > sizeof(scopes))
			break;
		n += (size_t)snprintf(scopes + n, sizeof(scopes) - n, "%s%s", n > 0 ? " " : "", s);
	}
	if (port != 80)
		snprintf(hp, sizeof(hp), ":%u", port);
	w = snprintf(
	    buf, cap,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://www.w3.org/2003/05/soap-envelope\" "
	    "xmlns:wsa=\"" SOAP_NS_WSA "\" xmlns:d=\"" SOAP_NS_WSD "\" "
	    "xmlns:dn=\"http://www.onvif.org/ver10/network/wsdl\"><SOAP-ENV:Header>"
	    "<wsa:MessageID>%s</wsa:MessageID><wsa:RelatesTo>%s</wsa:RelatesTo>"
	    "<wsa:To>" SOAP_NS_WSA "/role/anonymous</wsa:To>"
	    "<wsa:Action>" SOAP_NS_WSD "/ProbeMatches</wsa:Action></SOAP-ENV:Header>"
	    "<SOAP-ENV:Body><d:ProbeMatches><d:ProbeMatch><wsa:EndpointReference>"
	    "<wsa:Address>%s</wsa:Address></wsa:EndpointReference>"
	    "<d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>%s</d:Scopes>"
	    "<d:XAddrs>http://%s%s%s</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion>"
	    "</d:ProbeMatch></d:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>",
	    message_id, relates, po->po_uuid, scopes, h, hp, po->po_device);
	return w > 0 && (size_t)w < cap ? (size_t)w : 0;
}

/* ---- the listener ---- */

struct discovery {
	discovery_conf_s ds_conf;
	int ds_fd, ds_wake[2], ds_started;
	char ds_bound_host[64]; /* the bound address, "" when the wildcard */
	pthread_t ds_thread;
	pthread_mutex_t ds_lock;
	discovery_stats_s ds_st;
	discovery_limit_s *ds_limit;
};

static int discovery_bind(discovery_s *d, const struct sockaddr *addr, socklen_t addrlen, char *err,
                          size_t errlen)
{
	struct sockaddr_in any = {.sin_family = AF_INET};
	int one = 1;

	if (d->ds_conf.dc_multicast) {
		/* a group's datagrams reach sockets bound to the wildcard only */
		if (addr->sa_family != AF_INET) {
			snprintf(err, errlen, "onvif-discovery-multicast: IPv4 only");
			return -1;
		}
		any.sin_port = ((const struct sockaddr_in *)addr)->sin_port;
		addr = (const struct sockaddr *)&any;
		addrlen = sizeof(any);
	}
	if ((d->ds_fd = socket(addr->sa_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) <
	        0 ||
	    setsockopt(d->ds_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    (addr->sa_family == AF_INET &&
	     setsockopt(d->ds_fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) != 0) ||
	    bind(d->ds_fd, addr, addrlen) != 0) {
		snprintf(err, errlen, "onvif-discovery: cannot bind UDP: %s", strerror(errno));
		return -1;
	}
	if (d->ds_conf.dc_multicast) {
		struct ip_mreq mr = {.imr_interface.s_addr = htonl(INADDR_ANY)};
		inet_pton(AF_INET, DISCOVERY_GROUP, &mr.imr_multiaddr);
		if (setsockopt(d->ds_fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) != 0) {
			snprintf(err, errlen, "onvif-discovery-multicast: cannot join %s: %s",
			         DISCOVERY_GROUP, strerror(errno));
			return -1;
		}
	}
	if (addr->sa_family == AF_INET &&
	    ((const struct sockaddr_in *)addr)->sin_addr.s_addr != htonl(INADDR_ANY))
		inet_ntop(AF_INET, &((const struct sockaddr_in *)addr)->sin_addr, d->ds_bound_host,
		          sizeof(d->ds_bound_host));
	else if (addr->sa_family == AF_INET6 &&
	         !IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)addr)->sin6_addr)) {
		char a[48];
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)addr)->sin6_addr, a, sizeof(a));
		snprintf(d->ds_bound_host, sizeof(d->ds_bound_host), "[%s]", a);
	}
	return 0;
}

discovery_s *discovery_new(const struct sockaddr *addr, socklen_t addrlen,
                           const discovery_conf_s *conf, char *err, size_t errlen)
{
	discovery_s *d = calloc(1, sizeof(*d));

	if (d == NULL) {
		snprintf(err, errlen, "onvif-discovery: out of memory");
		return NULL;
	}
	d->ds_conf = *conf;
	d->ds_fd = d->ds_wake[0] = d->ds_wake[1] = -1;
	pthread_mutex_init(&d->ds_lock, NULL);
	if (conf->dc_pe == NULL || conf->dc_pe->pe_onvif == NULL) {
		snprintf(err, errlen, "onvif-discovery: the %s persona has no ONVIF",
		         conf->dc_pe != NULL ? conf->dc_pe->pe_name : "?");
		goto fail;
	}
	if ((d->ds_limit = discovery_limit_new()) == NULL || pipe2(d->ds_wake, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "onvif-discovery: out of memory");
		goto fail;
	}
	if (discovery_bind(d, addr, addrlen, err, errlen) != 0)
		goto fail;
	return d;
fail:
	discovery_free(d);
	return NULL;
}

/* The sender's address as the limiter keys it. */
static int sender_key(const struct sockaddr_storage *ss, uint8_t key[16])
{
	memset(key, 0, 16);
	if (ss->ss_family == AF_INET) {
		memcpy(key, &((const struct sockaddr_in *)ss)->sin_addr, 4);
		return 4;
	}
	if (ss->ss_family == AF_INET6) {
		memcpy(key, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
		return 6;
	}
	return 0;
}

/* Where the ProbeMatch says the device is: the bound address, else the
 * local address the datagram reached (IP_PKTINFO). "" when unknown. */
static void local_host(const discovery_s *d, struct msghdr *mh, char *out, size_t cap)
{
	snprintf(out, cap, "%s", d->ds_bound_host);
	if (out[0] != '\0')
		return;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c))
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			inet_ntop(AF_INET, &pi.ipi_spec_dst, out, (socklen_t)cap);
		}
}

static void message_id(char out[64])
{
	uint8_t r[16];

	if (rand_bytes(r, sizeof(r)) != 0)
		rand_weak(r, sizeof(r));
	r[6] = (uint8_t)((r[6] & 0x0f) | 0x40);
	r[8] = (uint8_t)((r[8] & 0x3f) | 0x80);
	snprintf(out, 64,
	         "uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", r[0],
	         r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13],
	         r[14], r[15]);
}

/* One datagram: recorded, and in answer mode perhaps answered. */
static void discovery_datagram(discovery_s *d, const char *buf, size_t n, int truncated,
                               const struct sockaddr_storage *from, struct msghdr *mh)
{
	const discovery_conf_s *c = &d->ds_conf;
	soap_probe_s *p = malloc(sizeof(*p));
	char *reply = NULL, host[64], mid[64];
	uint8_t key[16];
	int family = sender_key(from, key), probe;
	size_t rlen = 0;
	discovery_info_s di = {.di_addr = (const struct sockaddr *)from,
	                       .di_types = "",
	                       .di_scopes = "",
	                       .di_bytes = n};
	int64_t now = clock_mono_ms();

	probe = p != NULL && !truncated && soap_probe(buf, n, p) == SOAP_OK;
	pthread_mutex_lock(&d->ds_lock);
	d->ds_st.ds_datagrams++;
	d->ds_st.ds_bytes_in += n;
	d->ds_st.ds_probes += probe;
	pthread_mutex_unlock(&d->ds_lock);
	if (family != 0)
		discovery_limit_received(d->ds_limit, family, key, n, now);
	if (probe) {
		di.di_probe = 1;
		di.di_types = p->sp_types.st_s;
		di.di_types_len = p->sp_types.st_len;
		di.di_scopes = p->sp_scopes.st_s;
		di.di_scopes_len = p->sp_scopes.st_len;
	}
	if (probe && c->dc_mode == DISCOVERY_ANSWER && family != 0 && discovery_wanted(p) &&
	    (reply = malloc(DISCOVERY_DGRAM_MAX)) != NULL) {
		local_host(d, mh, host, sizeof(host));
		message_id(mid);
		rlen = host[0] != '\0'
		           ? discovery_match(c->dc_pe->pe_onvif, p, host, c->dc_http_port, mid,
		                             reply, DISCOVERY_DGRAM_MAX)
		           : 0;
		if (rlen > 0 && discovery_limit_take(d->ds_limit, family, key, rlen, now) &&
		    sendto(d->ds_fd, reply, rlen, MSG_DONTWAIT, (const struct sockaddr *)from,
		           from->ss_family == AF_INET
		               ? sizeof(struct sockaddr_in)
		               : sizeof(struct sockaddr_in6)) == (ssize_t)rlen) {
			di.di_status = 200;
		} else {
			pthread_mutex_lock(&d->ds_lock);
			d->ds_st.ds_limited++;
			pthread_mutex_unlock(&d->ds_lock);
		}
	}
	if (di.di_status == 200) {
		pthread_mutex_lock(&d->ds_lock);
		d->ds_st.ds_answered++;
		d->ds_st.ds_bytes_out += rlen;
		pthread_mutex_unlock(&d->ds_lock);
	}
	if (c->dc_record != NULL)
		c->dc_record(c->dc_arg, &di);
	free(reply);
	free(p);
}

static void *discovery_run(void *arg)
{
	discovery_s *d = arg;
	char *buf = malloc(DISCOVERY_DGRAM_MAX);
	union {
		char b[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} ctl;

	while (buf != NULL) {
		struct pollfd pf[2] = {{.fd = d->ds_fd, .events = POLLIN},
		                       {.fd = d->ds_wake[0], .events = POLLIN}};
		if (poll(pf, 2, -1) < 0 && errno != EINTR)
			break;
		if (pf[1].revents != 0)
			break;
		for (int i = 0; i < 64; i++) { /* a burst, then a look at the wake pipe */
			struct sockaddr_storage from = {0}; /* recvmsg fills it */
			struct iovec iov = {.iov_base = buf, .iov_len = DISCOVERY_DGRAM_MAX};
			struct msghdr mh = {.msg_name = &from,
			                    .msg_namelen = sizeof(from),
			                    .msg_iov = &iov,
			                    .msg_iovlen = 1,
			                    .msg_control = ctl.b,
			                    .msg_controllen = sizeof(ctl.b)};
			ssize_t n = recvmsg(d->ds_fd, &mh, MSG_DONTWAIT);
			if (n < 0)
				break;
			discovery_datagram(d, buf, (size_t)n, (mh.msg_flags & MSG_TRUNC) != 0,
			                   &from, &mh);
		}
	}
	free(buf);
	return NULL;
}

int discovery_start(discovery_s *d, char *err, size_t errlen)
{
	if (thread_start(&d->ds_thread, "camdecoy-wsd", discovery_run, d, err, errlen) != 0)
		return -1;
	d->ds_started = 1;
	return 0;
}

void discovery_stats(discovery_s *d, discovery_stats_s *out)
{
	pthread_mutex_lock(&d->ds_lock);
	*out = d->ds_st;
	pthread_mutex_unlock(&d->ds_lock);
}

void discovery_free(discovery_s *d)
{
	if (d == NULL)
		return;
	if (d->ds_started) {
		ssize_t w = write(d->ds_wake[1], "x", 1);
		(void)w;
		pthread_join(d->ds_thread, NULL);
	}
	if (d->ds_fd >= 0)
		close(d->ds_fd);
	if (d->ds_wake[0] >= 0) {
		close(d->ds_wake[0]);
		close(d->ds_wake[1]);
	}
	discovery_limit_free(d->ds_limit);
	pthread_mutex_destroy(&d->ds_lock);
	free(d);
}
