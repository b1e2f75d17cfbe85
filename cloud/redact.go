package cloud

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// redacted replaces every secret in an error message.
const redacted = "REDACTED"

// secretField matches a request parameter, header or configuration field
// that carries a credential or a signature, with its value, wherever it
// shows in a message or a file: a query (AccessKeyId=…&Signature=…), a form
// body, a header dump (Authorization: acs …), JSON ("token": "…") or YAML
// (token: …). The names are those of Alibaba Cloud's signature methods:
// RPC signature V1 (AccessKeyId, Signature, SignatureNonce, SecurityToken),
// ROA (Authorization "acs AK:signature", x-acs-security-token) and
// ACS3-HMAC-SHA256 (Authorization with Credential= and Signature=,
// x-acs-signature-nonce), as the SDK's signers (sdk/auth/signers) write
// them; the STS and credentials-URI answers' field names (AccessKeySecret,
// SecurityToken) and ~/.aliyun/config.json's (access_key_id,
// access_key_secret, sts_token); OSS signed URLs' parameters (OSSAccessKeyId,
// Signature, security-token; x-oss-signature and x-oss-credential of
// signature V4, OSS documentation "Add signatures to URLs") and S3-style
// X-Amz-Signature, X-Amz-Credential, X-Amz-Security-Token; and a
// kubeconfig's user credentials (client-key-data, client-certificate-data,
// token, password, id-token, refresh-token, access-token: the field names of
// k8s.io/client-go/tools/clientcmd/api/v1 AuthInfo and its auth providers).
// An Authorization value's scheme (acs, ACS3-HMAC-SHA256, Bearer, Basic) is
// kept and the rest replaced.
var secretField = regexp.MustCompile(`(?i)\b(AccessKeyId|AccessKeySecret|access_key_id|access_key_secret|sts_token|SecurityToken|security-token|Signature|SignatureNonce|Credential|x-acs-security-token|x-acs-signature-nonce|x-acs-accesskey-id|OSSAccessKeyId|x-oss-signature|x-oss-credential|x-oss-security-token|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|client-key-data|client-certificate-data|token|password|id-token|refresh-token|access-token|Authorization)("?\s*[=:]\s*"?)(acs\s+|ACS3-HMAC-SHA256\s+|Bearer\s+|Basic\s+)?([^&\s"',;]+)`)

// bearerToken matches a bearer token wherever it shows (an HTTP
// Authorization header written out, RFC 6750's "Bearer" scheme), and
// privateKey a PEM private key of any kind (RFC 7468), as a kubeconfig's
// client key or a key file holds it, with its newlines or JSON's \n.
var (
	bearerToken = regexp.MustCompile(`(?i)\b(Bearer\s+)([A-Za-z0-9\-._~+/]+=*)`)
	privateKey  = regexp.MustCompile(`-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?-----END ([A-Z0-9 ]*)PRIVATE KEY-----`)
)

// secretHeaders are the request headers whose values are secrets, by the
// same signer sources as secretField.
var secretHeaders = []string{"Authorization", "X-Acs-Security-Token", "X-Acs-Signature-Nonce", "X-Acs-Accesskey-Id"}

// secretParams are the query parameters whose values are secrets.
var secretParams = []string{"AccessKeyId", "Signature", "SignatureNonce", "SecurityToken"}

// secrets collects the secret values one client has used (the credentials'
// key ID, secret and token, and each request's signature), so that an error
// that repeats one in another shape than secretField knows is still cleaned.
type secrets struct {
	mu     sync.Mutex
	values map[string]struct{}
}

// add remembers values, with their URL-encoded forms.
func (s *secrets) add(values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.values == nil {
		s.values = map[string]struct{}{}
	}
	for _, v := range values {
		// Short values (an empty token, a one-letter nonce) would cut
		// ordinary words out of messages.
		if len(v) < 6 {
			continue
		}
		s.values[v] = struct{}{}
		s.values[url.QueryEscape(v)] = struct{}{}
		s.values[url.PathEscape(v)] = struct{}{}
	}
}

// addRequest remembers the secret parameters and headers of a signed request.
func (s *secrets) addRequest(req *http.Request) {
	q := req.URL.Query()
	for _, p := range secretParams {
		s.add(q[p]...)
	}
	for _, h := range secretHeaders {
		for _, v := range req.Header.Values(h) {
			s.add(v)
			// "acs AK:signature" and "ACS3-HMAC-SHA256 Credential=…,Signature=…"
			for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ':' || r == ',' || r == '=' }) {
				s.add(part)
			}
		}
	}
}

// clean replaces every known secret and every secret-carrying field in msg.
func (s *secrets) clean(msg string) string {
	msg = privateKey.ReplaceAllString(msg, "-----BEGIN ${1}PRIVATE KEY-----"+redacted+"-----END ${2}PRIVATE KEY-----")
	msg = secretField.ReplaceAllString(msg, "${1}${2}${3}"+redacted)
	msg = bearerToken.ReplaceAllString(msg, "${1}"+redacted)
	if s == nil {
		return msg
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for v := range s.values {
		msg = strings.ReplaceAll(msg, v, redacted)
	}
	return msg
}

// redactedError stands for a transport or credentials error whose text may
// hold a signed URL or a credential. It keeps only the cleaned text and what
// callers test errors for (a timeout, a cancelled or expired context), so no
// caller can reach the original through errors.As or Unwrap.
type redactedError struct {
	msg     string
	timeout bool
	cause   error
}

func (e *redactedError) Error() string { return e.msg }

// Timeout tells whether the original error was a timeout (net.Error).
func (e *redactedError) Timeout() bool { return e.timeout }

// Temporary is part of net.Error; no caller relies on it.
func (e *redactedError) Temporary() bool { return false }

// Unwrap gives context.Canceled or context.DeadlineExceeded when the
// original error was one, else nil.
func (e *redactedError) Unwrap() error { return e.cause }

var _ net.Error = (*redactedError)(nil)

// redact returns err with every secret removed from its text, or nil. A
// *url.Error is reduced to its cause first: its URL is the signed request.
func (s *secrets) redact(err error) error {
	if err == nil {
		return nil
	}
	r := &redactedError{msg: s.clean(err.Error())}
	var ne net.Error
	r.timeout = errors.As(err, &ne) && ne.Timeout()
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		r.cause = context.DeadlineExceeded
	case errors.Is(err, context.Canceled):
		r.cause = context.Canceled
	}
	return r
}

// cleanError removes every secret from a classified error: its message and
// its underlying error. It is the one place every failed call's error
// passes before anyone can print it.
func (s *secrets) cleanError(e *Error) *Error {
	if e == nil {
		return nil
	}
	e.Message = s.clean(e.Message)
	e.Hint = s.clean(e.Hint)
	e.Err = s.redact(e.Err)
	return e
}

// Redact removes from text every secret-carrying field and pattern that
// asmlink knows (secretField, bearer tokens, private keys): the redaction
// every error of the cloud client gets, for text that did not come
// through one, such as the files of `asmlink gather`.
func Redact(text string) string { return (*secrets)(nil).clean(text) }

// Redactor is Redact that also removes secret values it was told of (a
// kubeconfig's token and client key), and for a Client's, every
// credential and signature that client has sent.
type Redactor struct{ s *secrets }

// NewRedactor returns a Redactor that knows no value yet.
func NewRedactor() Redactor { return Redactor{s: &secrets{}} }

// Add tells r of secret values to remove, in their URL-encoded forms too;
// values shorter than six characters are left alone, since they would cut
// ordinary words out of the text.
func (r Redactor) Add(values ...string) { r.s.add(values...) }

// Redact removes every secret r knows from text.
func (r Redactor) Redact(text string) string { return r.s.clean(text) }

// Redactor returns the Redactor of every secret this client has used:
// the credentials' key ID, secret and token, and each request's signature.
func (c *Client) Redactor() Redactor { return Redactor{s: c.secrets} }
