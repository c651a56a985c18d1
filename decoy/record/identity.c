/* identity: the peer of a socket address, looked up once, and the client a trusted proxy names. */
#include "identity.h"

#include "netaddr.h"

#include <stdio.h>
#include <string.h>

void identity_from(identity_s *id, const geo_s *geo, const struct sockaddr *sa)
{
	netaddr_format(sa, id->id_ip, sizeof(id->id_ip), &id->id_port);
	id->id_peer_ip[0] = '\0';
	geo_country(geo, sa, id->id_country);
	geo_asn(geo, sa, &id->id_asn, id->id_as_org);
}

void identity_forwarded(identity_s *id, const geo_s *geo, const char *client)
{
	memcpy(id->id_peer_ip, id->id_ip, sizeof(id->id_peer_ip));
	snprintf(id->id_ip, sizeof(id->id_ip), "%s", client);
	geo_country_str(geo, client, id->id_country);
	geo_asn_str(geo, client, &id->id_asn, id->id_as_org);
	id->id_port = 0;
}
