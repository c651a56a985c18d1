/* soap: libxml2 reads the envelope; only what ONVIF needs is taken from it.
 *
 * The parser gets XML_PARSE_NONET and none of NOENT, DTDLOAD, DTDATTR or
 * XINCLUDE, so nothing is fetched and no entity is substituted; a document
 * with a DTD is refused before libxml2 sees it and again after (SOAP 1.2
 * forbids one), so no billion laughs can start. Element text is read from
 * text nodes only, never through xmlNodeGetContent (which would expand
 * entity references). */
#include "soap.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

void soap_init(void)
{
	xmlInitParser();
}

void soap_cleanup(void)
{
	xmlCleanupParser();
}

static int ns_is(const xmlNode *n, const char *href)
{
	return n->ns != NULL && n->ns->href != NULL && strcmp((const char *)n->ns->href, href) == 0;
}

static int named(const xmlNode *n, const char *local, const char *href)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)n->name, local) == 0 && ns_is(n, href);
}

static const xmlNode *first_element(const xmlNode *n)
{
	for (; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return n;
	return NULL;
}

static const xmlNode *child(const xmlNode *parent, const char *local, const char *href)
{
	for (const xmlNode *c = parent != NULL ? parent->children : NULL; c != NULL; c = c->next)
		if (named(c, local, href))
			return c;
	return NULL;
}

static void bounded(char *dst, size_t *len, size_t cap, const char *src, size_t n)
{
	size_t room = cap - *len;
	size_t k = n < room ? n : room;

	memcpy(dst + *len, src, k);
	*len += k;
	dst[*len] = '\0';
}

/* The element's own text (text and CDATA children), bounded. */
static void text_of(const xmlNode *n, soap_text_s *out)
{
	out->st_len = out->st_orig = 0;
	out->st_s[0] = '\0';
	for (const xmlNode *c = n != NULL ? n->children : NULL; c != NULL; c = c->next) {
		if ((c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) ||
		    c->content == NULL)
			continue;
		size_t k = strlen((const char *)c->content);
		bounded(out->st_s, &out->st_len, SOAP_FIELD_MAX, (const char *)c->content, k);
		out->st_orig += k;
	}
}

/* Trims the ASCII white space a pretty-printing client puts around values. */
static void trim(soap_text_s *t)
{
	size_t a = 0, b = t->st_len;

	while (a < b && strchr(" \t\r\n", t->st_s[a]) != NULL)
		a++;
	while (b > a && strchr(" \t\r\n", t->st_s[b - 1]) != NULL)
		b--;
	memmove(t->st_s, t->st_s + a, b - a);
	t->st_len = b - a;
	t->st_s[t->st_len] = '\0';
}

/* The tree's depth, without recursion (an attacker picks it). */
static int too_deep(const xmlNode *root)
{
	const xmlNode *n = root;
	int depth = 1;

	for (;;) {
		if (n->type == XML_ELEMENT_NODE && n->children != NULL) {
			if (++depth > SOAP_DEPTH_MAX)
				return 1;
			n = n->children;
			continue;
		}
		while (n != root && n->next == NULL) {
			n = n->parent;
			depth--;
		}
		if (n == root)
			return 0;
		n = n->next;
	}
}

static void token(const xmlNode *header, soap_msg_s *out)
{
	const xmlNode *sec = child(header, "Security", SOAP_NS_WSSE);
	const xmlNode *ut = child(sec, "UsernameToken", SOAP_NS_WSSE), *pw;
	xmlChar *type;

	if (ut == NULL)
		return;
	out->sm_token = 1;
	text_of(child(ut, "Username", SOAP_NS_WSSE), &out->sm_user);
	trim(&out->sm_user);
	text_of(child(ut, "Nonce", SOAP_NS_WSSE), &out->sm_nonce);
	trim(&out->sm_nonce);
	text_of(child(ut, "Created", SOAP_NS_WSU), &out->sm_created);
	trim(&out->sm_created);
	if ((pw = child(ut, "Password", SOAP_NS_WSSE)) == NULL)
		return;
	text_of(pw, &out->sm_pass);
	/* The profile's default is PasswordText. */
	type = xmlGetNoNsProp(pw, (const xmlChar *)"Type");
	out->sm_pw = type != NULL && strcmp((const char *)type, SOAP_PW_DIGEST_URI) == 0
	                 ? SOAP_PW_DIGEST
	                 : SOAP_PW_TEXT;
	if (out->sm_pw == SOAP_PW_DIGEST)
		trim(&out->sm_pass);
	xmlFree(type);
}

static soap_status_e read_envelope(const xmlDoc *doc, soap_msg_s *out)
{
	const xmlNode *env = xmlDocGetRootElement(doc), *body, *act;

	if (strcmp((const char *)env->name, "Envelope") != 0)
		return SOAP_MALFORMED;
	if (!ns_is(env, SOAP_NS_ENV))
		return ns_is(env, SOAP_NS_ENV11) ? SOAP_VERSION : SOAP_MALFORMED;
	token(child(env, "Header", SOAP_NS_ENV), out);
	if ((body = child(env, "Body", SOAP_NS_ENV)) == NULL)
		return SOAP_MALFORMED;
	if ((act = first_element(body->children)) == NULL)
		return SOAP_MALFORMED;
	size_t n = 0;
	bounded(out->sm_action, &n, SOAP_FIELD_MAX, (const char *)act->name,
	        strlen((const char *)act->name));
	if (act->ns != NULL && act->ns->href != NULL) {
		n = 0;
		bounded(out->sm_ns, &n, SOAP_FIELD_MAX, (const char *)act->ns->href,
		        strlen((const char *)act->ns->href));
	}
	for (const xmlNode *c = act->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, "ProfileToken") == 0) {
			text_of(c, &out->sm_profile);
			trim(&out->sm_profile);
			break;
		}
	return SOAP_OK;
}

static int has_doctype(const char *xml, size_t len)
{
	static const char mark[] = "<!DOCTYPE";

	for (size_t i = 0; i + sizeof(mark) - 1 <= len; i++)
		if (xml[i] == '<' && memcmp(xml + i, mark, sizeof(mark) - 1) == 0)
			return 1;
	return 0;
}

/* The document, or NULL with *st saying why: the size and DOCTYPE checks
 * before libxml2, the DTD and depth checks after. */
static xmlDoc *soap_read(const char *xml, size_t len, soap_status_e *st)
{
	xmlDoc *doc;
	const xmlNode *root;

	*st = SOAP_MALFORMED;
	if (len > SOAP_SIZE_MAX) {
		*st = SOAP_TOO_BIG;
		return NULL;
	}
	if (len == 0 || has_doctype(xml, len))
		return NULL;
	/* UTF-8 forced: a declared UTF-16 cannot hide a DOCTYPE from the scan. */
	doc = xmlReadMemory(xml, (int)len, "onvif.xml", "UTF-8",
	                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	                        XML_PARSE_NOCDATA);
	if (doc == NULL)
		return NULL;
	root = xmlDocGetRootElement(doc);
	if (doc->intSubset != NULL || doc->extSubset != NULL || root == NULL) {
		xmlFreeDoc(doc);
		return NULL;
	}
	if (too_deep(root)) {
		xmlFreeDoc(doc);
		*st = SOAP_TOO_DEEP;
		return NULL;
	}
	*st = SOAP_OK;
	return doc;
}

soap_status_e soap_parse(const char *xml, size_t len, soap_msg_s *out)
{
	soap_status_e st;
	xmlDoc *doc;

	memset(out, 0, sizeof(*out));
	if ((doc = soap_read(xml, len, &st)) == NULL)
		return st;
	st = read_envelope(doc, out);
	xmlFreeDoc(doc);
	return st;
}

soap_status_e soap_probe(const char *xml, size_t len, soap_probe_s *out)
{
	soap_status_e st;
	xmlDoc *doc;
	const xmlNode *env, *head, *probe;
	soap_text_s action;

	memset(out, 0, sizeof(*out));
	if ((doc = soap_read(xml, len, &st)) == NULL)
		return st;
	env = xmlDocGetRootElement(doc);
	head = child(env, "Header", SOAP_NS_ENV);
	probe = child(child(env, "Body", SOAP_NS_ENV), "Probe", SOAP_NS_WSD);
	text_of(child(head, "Action", SOAP_NS_WSA), &action);
	trim(&action);
	st = SOAP_MALFORMED;
	if (named(env, "Envelope", SOAP_NS_ENV) && probe != NULL &&
	    strcmp(action.st_s, SOAP_NS_WSD "/Probe") == 0) {
		text_of(child(head, "MessageID", SOAP_NS_WSA), &out->sp_message_id);
		trim(&out->sp_message_id);
		text_of(child(probe, "Types", SOAP_NS_WSD), &out->sp_types);
		trim(&out->sp_types);
		text_of(child(probe, "Scopes", SOAP_NS_WSD), &out->sp_scopes);
		trim(&out->sp_scopes);
		st = SOAP_OK;
	}
	xmlFreeDoc(doc);
	return st;
}
