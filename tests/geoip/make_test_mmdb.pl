#!/usr/bin/perl
# make_test_mmdb.pl OUT_DIR: writes two small country databases with known
# networks, one in the GeoIP2/GeoLite2 schema (country.iso_code) and one in
# the flat ip-location-db schema (country_code), for the GeoIP tests, and an
# ASN database in GeoLite2-ASN's schema (test-asn.mmdb).
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my $out = shift or die "usage: $0 OUT_DIR\n";

# Loopback is mapped too, because integration tests connect from 127.0.0.x.
my %networks = (
	'127.0.0.0/24'     => 'NL',
	'127.0.1.0/24'     => 'SE',
	'198.51.100.0/24'  => 'JP',
	'203.0.113.0/24'   => 'DE',
	'192.0.2.0/24'     => 'US',
	'2001:db8::/32'    => 'FR',
);

sub write_db {
	my ($path, $type, $types, $record) = @_;
	my $tree = MaxMind::DB::Writer::Tree->new(
		ip_version               => 6,
		record_size              => 24,
		database_type            => $type,
		languages                => ['en'],
		description              => { en => 'camdecoy test database' },
		map_key_type_callback    => sub { $types->{ $_[0] } },
		remove_reserved_networks => 0,
		alias_ipv6_to_ipv4       => 1,
	);
	for my $net (sort keys %networks) {
		$tree->insert_network($net, $record->($networks{$net}));
	}
	open my $fh, '>:raw', $path or die "cannot write $path: $!\n";
	$tree->write_tree($fh);
	close $fh;
}

write_db("$out/test-geoip2.mmdb", 'GeoIP2-Country',
	{ country => 'map', iso_code => 'utf8_string', names => 'map', en => 'utf8_string' },
	sub { { country => { iso_code => $_[0], names => { en => $_[0] } } } });
write_db("$out/test-flat.mmdb", 'geo-whois-asn-country',
	{ country_code => 'utf8_string' },
	sub { { country_code => $_[0] } });

# Autonomous systems: 8.8.8.0/24 as the real world has it; the rest are the
# documentation ASNs (RFC 5398).
my %asns = (
	'8.8.8.0/24'      => [15169, 'GOOGLE'],
	'127.0.0.0/24'    => [64496, 'Loopback Test AS'],
	'127.0.1.0/24'    => [64497, "Second \"Test\" AS, Inc."],
	'198.51.100.0/24' => [64500, 'TEST-NET-2 Example KK'],
	'203.0.113.0/24'  => [64501, 'TEST-NET-3 Beispiel GmbH'],
	'2001:db8::/32'   => [64502, 'Documentation v6'],
);
{
	my $tree = MaxMind::DB::Writer::Tree->new(
		ip_version               => 6,
		record_size              => 24,
		database_type            => 'GeoLite2-ASN',
		languages                => ['en'],
		description              => { en => 'camdecoy test ASN database' },
		map_key_type_callback    => sub {
			{ autonomous_system_number => 'uint32', autonomous_system_organization => 'utf8_string' }->{ $_[0] }
		},
		remove_reserved_networks => 0,
		alias_ipv6_to_ipv4       => 1,
	);
	for my $net (sort keys %asns) {
		$tree->insert_network($net,
			{ autonomous_system_number => $asns{$net}[0], autonomous_system_organization => $asns{$net}[1] });
	}
	open my $fh, '>:raw', "$out/test-asn.mmdb" or die "cannot write $out/test-asn.mmdb: $!\n";
	$tree->write_tree($fh);
	close $fh;
}
