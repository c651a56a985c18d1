/* identity: the peer of a socket address, looked up once. */
#include "identity.h"

#include "netaddr.h"

void identity_from(identity_s *id, const geo_s *geo, const struct sockaddr *sa)
{
	netaddr_format(sa, id->id_ip, sizeof(id->id_ip), &id->id_port);
	id->id_peer_ip[0] = '\0';
	geo_country(geo, sa, id->id_country);
	geo_asn(geo, sa, &id->id_asn, id->id_as_org);
}
