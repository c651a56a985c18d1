/* templates: the firmware's SOAP answers, one per action, with {name} holes
 * that onvif.c fills (every value escaped for XML). */
#ifndef CAMDECOY_TEMPLATES_H
#define CAMDECOY_TEMPLATES_H

typedef struct {
	const char *tt_ns;     /* the action's namespace */
	const char *tt_name;   /* its local name */
	const char *tt_route;  /* the request row's route: "onvif/GetProfiles" */
	const char *tt_replay; /* "onvif/replay/GetProfiles": a nonce and Created seen before */
	const char *tt_stale;  /* "onvif/stale/GetProfiles": Created too far from the clock */
	int tt_open;           /* PRE_AUTH in the ONVIF core: answered without a credential */
	const char *tt_body;   /* the Body's content */
} onvif_template_s;

/* Every action answered, terminated by tt_name NULL. */
extern const onvif_template_s onvif_templates[];

/* The envelope around every answer and fault. */
extern const char onvif_envelope_head[], onvif_envelope_tail[];
/* A fault: {code} env:Sender/env:Receiver, {subcode}, {subcode2} (may be
 * empty: then tmpl_fault_short), {reason}. */
extern const char onvif_fault[], onvif_fault_short[];
/* Repeated parts: one scope (GetScopes), one user (GetUsers), the video
 * encoder configuration (in GetProfiles and GetVideoEncoderConfigurations). */
extern const char onvif_scope[], onvif_user[], onvif_encoder[], onvif_source_conf[];

#endif
