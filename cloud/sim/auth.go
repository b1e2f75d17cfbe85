package sim

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// authenticate finds the caller's access key and checks the request's
// signature, in whichever of the three styles the request uses: V1 RPC
// (HMAC-SHA1 over the sorted parameters), V1 ROA ("acs AK:sig" over method,
// headers and path) or ACS3-HMAC-SHA256 (the Tea SDK's default).
func (s *Server) authenticate(c *call) error {
	authz := c.r.Header.Get("Authorization")
	var keyID, got string
	var want func(secret string) (sig, stringToSign string)
	switch {
	case strings.HasPrefix(authz, "ACS3-HMAC-SHA256 "):
		fields := parseACS3(strings.TrimPrefix(authz, "ACS3-HMAC-SHA256 "))
		keyID, got = fields["Credential"], fields["Signature"]
		want = func(secret string) (string, string) { return acs3Signature(c, fields["SignedHeaders"], secret) }
	case strings.HasPrefix(authz, "acs "):
		keyID, got, _ = strings.Cut(strings.TrimPrefix(authz, "acs "), ":")
		want = func(secret string) (string, string) { return roaSignature(c.r, secret) }
	case c.product != "cs":
		keyID, got = c.param("AccessKeyId"), c.param("Signature")
		want = func(secret string) (string, string) { return rpcSignature(c.r.Method, c.params, secret) }
	}
	if keyID == "" {
		return apiErr(http.StatusBadRequest, "MissingAccessKeyId", "AccessKeyId is mandatory for this action; sign the request with an AccessKey pair.")
	}
	key, ok := s.keys[keyID]
	if !ok {
		return apiErr(http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
	}
	c.keyID = keyID
	if got == "" {
		return apiErr(http.StatusBadRequest, "IncompleteSignature", "The request signature does not conform to Aliyun standards.")
	}
	sig, stringToSign := want(key.Secret)
	if !hmac.Equal([]byte(sig), []byte(got)) {
		return apiErr(http.StatusBadRequest, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:%s", stringToSign)
	}
	return nil
}

// rpcSignature computes the V1 RPC signature over every parameter (query
// and form body) except Signature.
func rpcSignature(method string, params url.Values, secret string) (sig, stringToSign string) {
	signed := url.Values{}
	for k, v := range params {
		if k != "Signature" && len(v) > 0 {
			signed.Set(k, v[0])
		}
	}
	canon := signed.Encode()
	canon = strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(canon)
	stringToSign = method + "&%2F&" + url.QueryEscape(canon)
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil)), stringToSign
}

// roaSignature computes the V1 ROA signature: method, Accept, Content-MD5,
// Content-Type and Date (each only if present), the sorted x-acs-* headers,
// then the path with its sorted, unescaped query.
func roaSignature(r *http.Request, secret string) (sig, stringToSign string) {
	var b strings.Builder
	b.WriteString(r.Method + "\n")
	for _, h := range []string{"Accept", "Content-MD5", "Content-Type", "Date"} {
		if v := r.Header.Get(h); v != "" {
			b.WriteString(v + "\n")
		}
	}
	var acs []string
	for k := range r.Header {
		if lk := strings.ToLower(k); strings.HasPrefix(lk, "x-acs-") {
			acs = append(acs, lk)
		}
	}
	sort.Strings(acs)
	for _, k := range acs {
		b.WriteString(k + ":" + r.Header.Get(k) + "\n")
	}
	b.WriteString(r.URL.Path)
	q := r.URL.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		if i == 0 {
			b.WriteString("?")
		} else {
			b.WriteString("&")
		}
		b.WriteString(k)
		if v := q.Get(k); v != "" {
			b.WriteString("=" + v)
		}
	}
	stringToSign = b.String()
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil)), stringToSign
}

// parseACS3 splits "Credential=AK,SignedHeaders=a;b,Signature=hex".
func parseACS3(v string) map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(v, ",") {
		if k, val, ok := strings.Cut(strings.TrimSpace(part), "="); ok {
			out[k] = val
		}
	}
	return out
}

// acs3Signature computes the ACS3-HMAC-SHA256 signature of the Tea SDK
// (darabonba-openapi GetAuthorization): a canonical request of method, path,
// sorted query, the signed headers and the body hash.
func acs3Signature(c *call, signedHeaders, secret string) (sig, stringToSign string) {
	q := c.r.URL.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var query []string
	for _, k := range keys {
		query = append(query, percentEncode(k)+"="+percentEncode(q.Get(k)))
	}
	var headers strings.Builder
	names := strings.Split(signedHeaders, ";")
	for _, h := range names {
		v := c.r.Header.Get(h)
		if strings.EqualFold(h, "host") {
			v = c.r.Host
		}
		headers.WriteString(strings.ToLower(h) + ":" + strings.TrimSpace(v) + "\n")
	}
	payload := c.r.Header.Get("x-acs-content-sha256")
	if payload == "" {
		sum := sha256.Sum256(c.body)
		payload = hex.EncodeToString(sum[:])
	}
	path := c.r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	canonical := strings.Join([]string{c.r.Method, path, strings.Join(query, "&"), headers.String(), signedHeaders, payload}, "\n")
	sum := sha256.Sum256([]byte(canonical))
	stringToSign = "ACS3-HMAC-SHA256\n" + hex.EncodeToString(sum[:])
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(stringToSign))
	return hex.EncodeToString(mac.Sum(nil)), stringToSign
}

// percentEncode is RFC 3986 encoding as the Alibaba Cloud signers use it.
func percentEncode(s string) string {
	return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(url.QueryEscape(s))
}
