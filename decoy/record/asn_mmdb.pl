#!/usr/bin/perl
# asn_mmdb.pl OUT.mmdb PACKAGE_DIR: the ip-location-db ASN lists (npm
# @ip-location-db/asn: asn-ipv4.csv and asn-ipv6.csv, "first,last,asn,
# organisation" per line, CC BY 4.0 data from RouteViews and DB-IP) as a
# MaxMind DB in GeoLite2-ASN's schema (autonomous_system_number,
# autonomous_system_organization), so that the decoy reads it, or an
# operator's own GeoLite2-ASN, the same way. Run by `make geoip`. The
# database's build time is the data's date, from the package version
# (2.3.YYYYMMDDHH), so that meta records how old the data is.
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;
use Time::Local qw(timegm);

my ($out, $dir) = @ARGV;
die "usage: $0 OUT.mmdb PACKAGE_DIR\n" unless defined $out && defined $dir;
my @inputs = grep { -r } ("$dir/asn-ipv4.csv", "$dir/asn-ipv6.csv");
die "$dir holds no asn-ipv4.csv\n" unless @inputs;

my $epoch = time();
if (open my $pj, '<', "$dir/package.json") {
	local $/;
	my $j = <$pj>;
	if ($j =~ /"version"\s*:\s*"\d+\.\d+\.(\d{4})(\d\d)(\d\d)(\d\d)?"/) {
		$epoch = timegm(0, 0, $4 // 0, $3, $2 - 1, $1);
	}
}

my $tree = MaxMind::DB::Writer::Tree->new(
	ip_version               => 6,
	record_size              => 32,
	database_type            => 'camdecoy-ASN',
	languages                => ['en'],
	description              => { en => 'ip-location-db ASN (CC BY 4.0), for camdecoy' },
	map_key_type_callback    => sub {
		{ autonomous_system_number => 'uint32', autonomous_system_organization => 'utf8_string' }->{ $_[0] }
	},
	remove_reserved_networks => 0,
	alias_ipv6_to_ipv4       => 1,
	merge_strategy           => 'none',
);

my ($rows, $bad) = (0, 0);
for my $f (@inputs) {
	open my $fh, '<:encoding(UTF-8)', $f or die "cannot read $f: $!\n";
	while (my $line = <$fh>) {
		$line =~ s/\r?\n\z//;
		# the organisation may be quoted (it may hold commas; "" is a quote)
		my ($first, $last, $asn, $org) = $line =~ /\A([0-9a-fA-F.:]+),([0-9a-fA-F.:]+),(\d+),(.*)\z/;
		if (!defined $org || $asn > 4294967295) {
			$bad++;
			next;
		}
		if ($org =~ /\A"(.*)"\z/) {
			($org = $1) =~ s/""/"/g;
		}
		$org = substr($org, 0, 255);
		eval {
			$tree->insert_range($first, $last,
				{ autonomous_system_number => $asn + 0, autonomous_system_organization => $org });
			1;
		} or do { $bad++; next; };
		$rows++;
	}
	close $fh;
}
die "no usable rows in @inputs\n" unless $rows;

# the writer's build time is an attribute it lets tests set; without it, now
eval { $tree->_set_build_epoch($epoch); 1 } or warn "asn_mmdb: build time left at now\n";
my $tmp = "$out.tmp";
open my $o, '>:raw', $tmp or die "cannot write $tmp: $!\n";
$tree->write_tree($o);
close $o or die "cannot write $tmp: $!\n";
rename $tmp, $out or die "cannot rename $tmp: $!\n";
print "asn_mmdb: $rows ranges ($bad skipped) -> $out\n";
