/* templates: the answers' text, shaped after the ONVIF ver10 device and media
 * WSDLs and the gSOAP envelopes Axis and Hikvision firmware send (prefixes
 * SOAP-ENV, tt, tds, trt, ter). Written here, not copied from a capture. */
#include "templates.h"

#include "soap.h"

const char onvif_envelope_head[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://www.w3.org/2003/05/soap-envelope\" "
    "xmlns:SOAP-ENC=\"http://www.w3.org/2003/05/soap-encoding\" "
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
    "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
    "xmlns:tt=\"http://www.onvif.org/ver10/schema\" "
    "xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\" "
    "xmlns:trt=\"http://www.onvif.org/ver10/media/wsdl\" "
    "xmlns:ter=\"http://www.onvif.org/ver10/error\">"
    "<SOAP-ENV:Header></SOAP-ENV:Header><SOAP-ENV:Body>";

const char onvif_envelope_tail[] = "</SOAP-ENV:Body></SOAP-ENV:Envelope>\n";

const char onvif_fault[] =
    "<SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>{code}</SOAP-ENV:Value>"
    "<SOAP-ENV:Subcode><SOAP-ENV:Value>{subcode}</SOAP-ENV:Value>"
    "<SOAP-ENV:Subcode><SOAP-ENV:Value>{subcode2}</SOAP-ENV:Value></SOAP-ENV:Subcode>"
    "</SOAP-ENV:Subcode></SOAP-ENV:Code>"
    "<SOAP-ENV:Reason><SOAP-ENV:Text xml:lang=\"en\">{reason}</SOAP-ENV:Text></SOAP-ENV:Reason>"
    "</SOAP-ENV:Fault>";

const char onvif_fault_short[] =
    "<SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>{code}</SOAP-ENV:Value>"
    "<SOAP-ENV:Subcode><SOAP-ENV:Value>{subcode}</SOAP-ENV:Value></SOAP-ENV:Subcode>"
    "</SOAP-ENV:Code>"
    "<SOAP-ENV:Reason><SOAP-ENV:Text xml:lang=\"en\">{reason}</SOAP-ENV:Text></SOAP-ENV:Reason>"
    "</SOAP-ENV:Fault>";

const char onvif_scope[] = "<tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef>"
                           "<tt:ScopeItem>{scope}</tt:ScopeItem></tds:Scopes>";

const char onvif_user[] = "<tds:User><tt:Username>{user}</tt:Username>"
                          "<tt:UserLevel>Administrator</tt:UserLevel></tds:User>";

const char onvif_source_conf[] =
    "<tt:Name>{source_conf}</tt:Name><tt:UseCount>1</tt:UseCount>"
    "<tt:SourceToken>{source}</tt:SourceToken>"
    "<tt:Bounds x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\"></tt:Bounds>";

const char onvif_encoder[] =
    "<tt:Name>{encoder_name}</tt:Name><tt:UseCount>1</tt:UseCount>"
    "<tt:Encoding>H264</tt:Encoding>"
    "<tt:Resolution><tt:Width>{width}</tt:Width><tt:Height>{height}</tt:Height></tt:Resolution>"
    "<tt:Quality>3.000000</tt:Quality>"
    "<tt:RateControl><tt:FrameRateLimit>{fps}</tt:FrameRateLimit>"
    "<tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>{bitrate}</tt:BitrateLimit>"
    "</tt:RateControl>"
    "<tt:H264><tt:GovLength>{gop}</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264>"
    "<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address>"
    "</tt:Address><tt:Port>0</tt:Port><tt:TTL>0</tt:TTL><tt:AutoStart>false</tt:AutoStart>"
    "</tt:Multicast><tt:SessionTimeout>PT60S</tt:SessionTimeout>";

/* the request row's routes: answered, a replay (answered), a stale Created */
#define ROUTES(a) "onvif/" a, "onvif/replay/" a, "onvif/stale/" a
#define DEV       SOAP_NS_DEVICE
#define MED       SOAP_NS_MEDIA

/* {date_utc} / {date_local} are tt:Time + tt:Date; {scopes}, {users},
 * {encoder} and {source_conf_body} are the parts above, filled first. */
const onvif_template_s onvif_templates[] = {
    {DEV, "GetSystemDateAndTime", ROUTES("GetSystemDateAndTime"), 1,
     "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>"
     "<tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>{dst}</tt:DaylightSavings>"
     "<tt:TimeZone><tt:TZ>{tz}</tt:TZ></tt:TimeZone>"
     "<tt:UTCDateTime>{date_utc}</tt:UTCDateTime><tt:LocalDateTime>{date_local}</tt:LocalDateTime>"
     "</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>"},
    {DEV, "GetCapabilities", ROUTES("GetCapabilities"), 1,
     "<tds:GetCapabilitiesResponse><tds:Capabilities>"
     "<tt:Device><tt:XAddr>{base}{device}</tt:XAddr>"
     "<tt:Network><tt:IPFilter>true</tt:IPFilter><tt:ZeroConfiguration>false</tt:ZeroConfiguration>"
     "<tt:IPVersion6>false</tt:IPVersion6><tt:DynDNS>false</tt:DynDNS></tt:Network>"
     "<tt:System><tt:DiscoveryResolve>false</tt:DiscoveryResolve><tt:DiscoveryBye>true</"
     "tt:DiscoveryBye>"
     "<tt:RemoteDiscovery>false</tt:RemoteDiscovery><tt:SystemBackup>false</tt:SystemBackup>"
     "<tt:SystemLogging>false</tt:SystemLogging><tt:FirmwareUpgrade>true</tt:FirmwareUpgrade>"
     "<tt:SupportedVersions><tt:Major>2</tt:Major><tt:Minor>40</tt:Minor></tt:SupportedVersions>"
     "</tt:System>"
     "<tt:IO><tt:InputConnectors>0</tt:InputConnectors><tt:RelayOutputs>0</tt:RelayOutputs></tt:IO>"
     "<tt:Security><tt:TLS1.1>false</tt:TLS1.1><tt:TLS1.2>false</tt:TLS1.2>"
     "<tt:OnboardKeyGeneration>false</tt:OnboardKeyGeneration>"
     "<tt:AccessPolicyConfig>false</tt:AccessPolicyConfig><tt:X.509Token>false</tt:X.509Token>"
     "<tt:SAMLToken>false</tt:SAMLToken><tt:KerberosToken>false</tt:KerberosToken>"
     "<tt:RELToken>false</tt:RELToken></tt:Security></tt:Device>"
     "<tt:Events><tt:XAddr>{base}{events}</tt:XAddr><tt:WSSubscriptionPolicySupport>true"
     "</tt:WSSubscriptionPolicySupport><tt:WSPullPointSupport>true</tt:WSPullPointSupport>"
     "<tt:WSPausableSubscriptionManagerInterfaceSupport>false"
     "</tt:WSPausableSubscriptionManagerInterfaceSupport></tt:Events>"
     "<tt:Media><tt:XAddr>{base}{media}</tt:XAddr><tt:StreamingCapabilities>"
     "<tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP>"
     "<tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>"
     "</tds:Capabilities></tds:GetCapabilitiesResponse>"},
    {DEV, "GetServices", ROUTES("GetServices"), 1,
     "<tds:GetServicesResponse>"
     "<tds:Service><tds:Namespace>http://www.onvif.org/ver10/device/wsdl</tds:Namespace>"
     "<tds:XAddr>{base}{device}</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>40</"
     "tt:Minor>"
     "</tds:Version></tds:Service>"
     "<tds:Service><tds:Namespace>http://www.onvif.org/ver10/media/wsdl</tds:Namespace>"
     "<tds:XAddr>{base}{media}</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>40</"
     "tt:Minor>"
     "</tds:Version></tds:Service>"
     "<tds:Service><tds:Namespace>http://www.onvif.org/ver10/events/wsdl</tds:Namespace>"
     "<tds:XAddr>{base}{events}</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>40</"
     "tt:Minor>"
     "</tds:Version></tds:Service>"
     "</tds:GetServicesResponse>"},
    {DEV, "GetDeviceInformation", ROUTES("GetDeviceInformation"), 0,
     "<tds:GetDeviceInformationResponse><tds:Manufacturer>{manufacturer}</tds:Manufacturer>"
     "<tds:Model>{model}</tds:Model><tds:FirmwareVersion>{firmware}</tds:FirmwareVersion>"
     "<tds:SerialNumber>{serial}</tds:SerialNumber><tds:HardwareId>{hardware}</tds:HardwareId>"
     "</tds:GetDeviceInformationResponse>"},
    {DEV, "GetScopes", ROUTES("GetScopes"), 0,
     "<tds:GetScopesResponse>{scopes}</tds:GetScopesResponse>"},
    {DEV, "GetHostname", ROUTES("GetHostname"), 0,
     "<tds:GetHostnameResponse><tds:HostnameInformation><tt:FromDHCP>false</tt:FromDHCP>"
     "<tt:Name>{hostname}</tt:Name></tds:HostnameInformation></tds:GetHostnameResponse>"},
    {DEV, "GetNetworkInterfaces", ROUTES("GetNetworkInterfaces"), 0,
     "<tds:GetNetworkInterfacesResponse><tds:NetworkInterfaces token=\"eth0\">"
     "<tt:Enabled>true</tt:Enabled><tt:Info><tt:Name>eth0</tt:Name>"
     "<tt:HwAddress>{mac}</tt:HwAddress><tt:MTU>1500</tt:MTU></tt:Info>"
     "<tt:IPv4><tt:Enabled>true</tt:Enabled><tt:Config><tt:Manual><tt:Address>{ip}</tt:Address>"
     "<tt:PrefixLength>24</tt:PrefixLength></tt:Manual><tt:DHCP>false</tt:DHCP></tt:Config></"
     "tt:IPv4>"
     "</tds:NetworkInterfaces></tds:GetNetworkInterfacesResponse>"},
    {DEV, "GetUsers", ROUTES("GetUsers"), 0,
     "<tds:GetUsersResponse>{users}</tds:GetUsersResponse>"},
    {MED, "GetProfiles", ROUTES("GetProfiles"), 0,
     "<trt:GetProfilesResponse><trt:Profiles token=\"{profile}\" fixed=\"true\">"
     "<tt:Name>{profile_name}</tt:Name>"
     "<tt:VideoSourceConfiguration token=\"{source_conf}\">{source_conf_body}"
     "</tt:VideoSourceConfiguration>"
     "<tt:VideoEncoderConfiguration token=\"{encoder_token}\">{encoder}"
     "</tt:VideoEncoderConfiguration>"
     "</trt:Profiles></trt:GetProfilesResponse>"},
    {MED, "GetProfile", ROUTES("GetProfile"), 0,
     "<trt:GetProfileResponse><trt:Profile token=\"{profile}\" fixed=\"true\">"
     "<tt:Name>{profile_name}</tt:Name>"
     "<tt:VideoSourceConfiguration token=\"{source_conf}\">{source_conf_body}"
     "</tt:VideoSourceConfiguration>"
     "<tt:VideoEncoderConfiguration token=\"{encoder_token}\">{encoder}"
     "</tt:VideoEncoderConfiguration>"
     "</trt:Profile></trt:GetProfileResponse>"},
    {MED, "GetVideoSources", ROUTES("GetVideoSources"), 0,
     "<trt:GetVideoSourcesResponse><trt:VideoSources token=\"{source}\">"
     "<tt:Framerate>{fps}</tt:Framerate><tt:Resolution><tt:Width>{width}</tt:Width>"
     "<tt:Height>{height}</tt:Height></tt:Resolution></trt:VideoSources></"
     "trt:GetVideoSourcesResponse>"},
    {MED, "GetVideoEncoderConfigurations", ROUTES("GetVideoEncoderConfigurations"), 0,
     "<trt:GetVideoEncoderConfigurationsResponse>"
     "<trt:Configurations token=\"{encoder_token}\">{encoder}</trt:Configurations>"
     "</trt:GetVideoEncoderConfigurationsResponse>"},
    {MED, "GetStreamUri", ROUTES("GetStreamUri"), 0,
     "<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>{rtsp_uri}</tt:Uri>"
     "<tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>"
     "<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT60S</tt:Timeout>"
     "</trt:MediaUri></trt:GetStreamUriResponse>"},
    {MED, "GetSnapshotUri", ROUTES("GetSnapshotUri"), 0,
     "<trt:GetSnapshotUriResponse><trt:MediaUri><tt:Uri>{snapshot_uri}</tt:Uri>"
     "<tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>"
     "<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT60S</tt:Timeout>"
     "</trt:MediaUri></trt:GetSnapshotUriResponse>"},
    {NULL, NULL, NULL, NULL, NULL, 0, NULL},
};
