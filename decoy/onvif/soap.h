/* soap: an ONVIF request envelope read with libxml2 as hostile bytes: no
 * network, no DTD, no entity expansion, a size and depth cap, namespaces checked. */
#ifndef CAMDECOY_SOAP_H
#define CAMDECOY_SOAP_H

#include <stddef.h>

/* Larger envelopes are refused unparsed (a UsernameToken request is ~1.5 KiB). */
#define SOAP_SIZE_MAX 16384
/* Deeper elements are refused (ONVIF requests nest about 6 deep). */
#define SOAP_DEPTH_MAX 24
#define SOAP_FIELD_MAX 256

#define SOAP_NS_ENV    "http://www.w3.org/2003/05/soap-envelope"
#define SOAP_NS_ENV11  "http://schemas.xmlsoap.org/soap/envelope/"
#define SOAP_NS_DEVICE "http://www.onvif.org/ver10/device/wsdl"
#define SOAP_NS_MEDIA  "http://www.onvif.org/ver10/media/wsdl"
#define SOAP_NS_WSSE                                                                               \
	"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
#define SOAP_NS_WSU                                                                                \
	"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
#define SOAP_PW_DIGEST_URI                                                                         \
	"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#"      \
	"PasswordDigest"

#define SOAP_NS_WSA "http://schemas.xmlsoap.org/ws/2004/08/addressing"
#define SOAP_NS_WSD "http://schemas.xmlsoap.org/ws/2005/04/discovery"

typedef enum {
	SOAP_OK,
	SOAP_MALFORMED, /* not well-formed XML, a DTD, no Envelope/Body: env:Sender */
	SOAP_VERSION,   /* an Envelope of another SOAP version: env:VersionMismatch */
	SOAP_TOO_BIG,   /* over SOAP_SIZE_MAX */
	SOAP_TOO_DEEP,  /* over SOAP_DEPTH_MAX */
} soap_status_e;

typedef enum { SOAP_PW_NONE, SOAP_PW_TEXT, SOAP_PW_DIGEST } soap_pw_e;

/* A bounded text: what was kept (NUL-terminated) and the length it had. */
typedef struct {
	char st_s[SOAP_FIELD_MAX + 1];
	size_t st_len, st_orig;
} soap_text_s;

typedef struct {
	char sm_ns[SOAP_FIELD_MAX + 1];     /* the action's namespace ("" none) */
	char sm_action[SOAP_FIELD_MAX + 1]; /* its local name: the Body's first element */
	int sm_token;                       /* a wsse:UsernameToken came */
	soap_pw_e sm_pw;
	soap_text_s sm_user, sm_pass, sm_nonce, sm_created;
	soap_text_s sm_profile; /* the action's ProfileToken, if any */
} soap_msg_s;

/* A WS-Discovery Probe: its wsa:MessageID (for RelatesTo), d:Types and d:Scopes. */
typedef struct {
	soap_text_s sp_message_id, sp_types, sp_scopes;
} soap_probe_s;

/* Once, before any thread parses (libxml2's own initialisation). */
void soap_init(void);
void soap_cleanup(void);

/* Reads one request envelope (len bytes, need not be NUL-terminated) into
 * out (always filled, zeroed first). Thread-safe. */
soap_status_e soap_parse(const char *xml, size_t len, soap_msg_s *out);

/* Reads a WS-Discovery Probe (SOAP 1.2, the same limits): SOAP_OK when it is
 * one (wsa:Action .../discovery/Probe, d:Probe in the Body). */
soap_status_e soap_probe(const char *xml, size_t len, soap_probe_s *out);

#endif
