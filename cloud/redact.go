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

// secretField matches a request parameter or header that carries a
// credential or a signature, with its value, wherever it shows in a message:
// a query (AccessKeyId=…&Signature=…), a form body, or a header dump
// (Authorization: acs …). The names are those of Alibaba Cloud's signature
// methods: RPC signature V1 (AccessKeyId, Signature, SignatureNonce,
// SecurityToken), ROA (Authorization "acs AK:signature",
// x-acs-security-token) and ACS3-HMAC-SHA256 (Authorization with Credential=
// and Signature=, x-acs-signature-nonce), as the SDK's signers
// (sdk/auth/signers) write them, plus the STS and credentials-URI answers'
// field names (AccessKeySecret, SecurityToken).
var secretField = regexp.MustCompile(`(?i)\b(AccessKeyId|AccessKeySecret|SecurityToken|Signature|SignatureNonce|Credential|x-acs-security-token|x-acs-signature-nonce|x-acs-accesskey-id|Authorization)("?\s*[=:]\s*"?)(acs\s+|ACS3-HMAC-SHA256\s+)?([^&\s"',;]+)`)

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
	msg = secretField.ReplaceAllString(msg, "${1}${2}${3}"+redacted)
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
