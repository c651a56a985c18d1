<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title></title>
<link rel="stylesheet" type="text/css" href="/doc/css/hik.css">
</head>
<body>
<div class="login-wrap">
  <div class="login-logo">HIKVISION</div>
  <form class="login-form" method="post" action="/doc/page/login.asp">
    <div class="row"><input id="username" name="username" type="text" placeholder="User Name" maxlength="32" autocomplete="off"></div>
    <div class="row"><input id="password" name="password" type="password" placeholder="Password" maxlength="64"></div>
    <div class="row"><button type="submit">Login</button></div>
  </form>
  <div class="login-preview"><a href="/doc/page/preview.asp">Live View</a></div>
</div>
<div class="footer">&copy;Hikvision Digital Technology Co., Ltd. All Rights Reserved.</div>
</body>
</html>
