<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>@CAMERA_NAME@</title>
<link rel="stylesheet" type="text/css" href="/doc/css/hik.css">
</head>
<body>
<div class="header"><span class="logo">HIKVISION</span><span class="menu">Live View &nbsp; Playback &nbsp; Picture &nbsp; Configuration</span></div>
<div class="preview">
  <img id="stream" src="/ISAPI/Streaming/channels/102/httpPreview" width="@WIDTH@" height="@HEIGHT@" alt="">
  <div class="channel">Camera 01 - @CAMERA_NAME@</div>
</div>
</body>
</html>
