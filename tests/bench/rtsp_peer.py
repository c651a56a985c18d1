#!/usr/bin/python3
# rtsp_peer: a real RTSP server (gst-rtsp-server, Debian's python3-gst-1.0 and
# gir1.2-gst-rtsp-server-1.0) serving the decoy's own frames, read from its HTTP MJPEG stream:
# /jpeg as JPEG over RTP (the frames as they come), /h264 decoded and encoded once by x264enc as
# the decoy sets libx264 (superfast, zerolatency, Main, one thread, an IDR every 2 s), one
# pipeline shared by every client. The peer P8 compares the decoy's RTSP with.
# Usage: rtsp_peer.py PORT MJPEG_URL FPS   (prints "ready" once serving; loopback only)
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

Gst.init(None)
port, url, fps = sys.argv[1], sys.argv[2], int(sys.argv[3])
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)
mounts = server.get_mount_points()
src = "souphttpsrc location=%s is-live=true do-timestamp=true ! multipartdemux ! image/jpeg ! jpegparse" % url
tails = {
    "/jpeg": "rtpjpegpay name=pay0 pt=26",
    "/h264": "jpegdec ! videoconvert ! video/x-raw,format=I420 ! "
             "x264enc speed-preset=superfast tune=zerolatency key-int-max=%d threads=1 ! "
             "video/x-h264,profile=main ! rtph264pay name=pay0 pt=96 config-interval=-1" % (2 * fps),
}
for path, tail in tails.items():
    f = GstRtspServer.RTSPMediaFactory()
    f.set_launch("( %s ! %s )" % (src, tail))
    f.set_shared(True)
    mounts.add_factory(path, f)
server.attach(None)
print("ready", flush=True)
GLib.MainLoop().run()
