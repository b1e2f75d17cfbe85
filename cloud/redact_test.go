package cloud

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"

	"github.com/asmlink/asmlink/cloud/sim"
	"github.com/asmlink/asmlink/cloud/sim/stall"
)

// signatureRecorder remembers every secret a signed request carried, so the
// test knows the values that must never come back in an error.
type signatureRecorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen []string
}

func (r *signatureRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	q := req.URL.Query()
	for _, p := range []string{"Signature", "SignatureNonce", "AccessKeyId", "SecurityToken"} {
		r.seen = append(r.seen, q[p]...)
	}
	if a := req.Header.Get("Authorization"); a != "" {
		r.seen = append(r.seen, a)
		if _, sig, ok := strings.Cut(a, ":"); ok {
			r.seen = append(r.seen, sig)
		}
	}
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

func (r *signatureRecorder) values() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.seen...)
}

// everyOutput is every text an error can be turned into: its message, the
// fmt verbs a caller might use, and the message of each error it wraps.
func everyOutput(err error) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v\n%+v\n%s\n%q\n%#v\n", err, err, err, err, err)
	for e := err; e != nil; e = errors.Unwrap(e) {
		fmt.Fprintf(&b, "%v\n%#v\n", e, e)
		var ce *Error
		if errors.As(e, &ce) {
			fmt.Fprintf(&b, "%+v\n", *ce)
		}
	}
	return b.String()
}

// TestNoSecretInAnyErrorPath drives every failure a call can meet (a TLS
// handshake that stalls, a call that outlasts its timeout, 5xx, throttling,
// rejected credentials, a cancelled call), with and without the debug log,
// and scans every output for the access key ID, secret, STS token and each
// request's signature.
func TestNoSecretInAnyErrorPath(t *testing.T) {
	const (
		keyID  = "LTAI5tSecretKeyIdNotToShow"
		secret = "SecretValueNotToShow9x"
		token  = "CAIS-sts-token-not-to-show-8f3a"
	)
	srv := startSim(t, "demo", nil)
	simID, simSecret := srv.AccessKey()
	throttled := startSim(t, "demo", &sim.Faults{ThrottleRate: 1})
	failing := startSim(t, "demo", &sim.Faults{ErrorRate: 1})

	shortHandshake := func() http.RoundTripper {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.Proxy = nil
		tr.TLSHandshakeTimeout = 150 * time.Millisecond
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
		return tr
	}
	plain := func() http.RoundTripper {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.Proxy = nil
		return tr
	}
	cases := []struct {
		name      string
		endpoint  string
		transport http.RoundTripper
		creds     credentials.CredentialsProvider
		retry     RetryPolicy
		cancel    time.Duration
		want      Kind
	}{
		{name: "TLS handshake times out", endpoint: "https://" + stall.Listen(t), transport: shortHandshake(),
			creds: credentials.NewStaticSTSCredentialsProvider(keyID, secret, token),
			retry: RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, CallTimeout: 5 * time.Second}, want: KindTimeout},
		{name: "call timeout while the handshake stalls", endpoint: "https://" + stall.Listen(t), transport: plain(),
			creds: credentials.NewStaticSTSCredentialsProvider(keyID, secret, token),
			retry: RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, CallTimeout: 200 * time.Millisecond}, want: KindTimeout},
		{name: "cancelled while the handshake stalls", endpoint: "https://" + stall.Listen(t), transport: plain(),
			creds: credentials.NewStaticSTSCredentialsProvider(keyID, secret, token),
			retry: RetryPolicy{MaxAttempts: 2, CallTimeout: 5 * time.Second}, cancel: 200 * time.Millisecond, want: KindUnknown},
		{name: "5xx", endpoint: failing.URL(), transport: plain(),
			creds: credentials.NewStaticSTSCredentialsProvider(simID, simSecret, token), retry: testRetry, want: KindUnavailable},
		{name: "throttled", endpoint: throttled.URL(), transport: plain(),
			creds: credentials.NewStaticSTSCredentialsProvider(simID, simSecret, token), retry: testRetry, want: KindThrottled},
		{name: "unknown key", endpoint: srv.URL(), transport: plain(),
			creds: credentials.NewStaticSTSCredentialsProvider(keyID, secret, token), retry: testRetry, want: KindCredentials},
		{name: "wrong secret", endpoint: srv.URL(), transport: plain(),
			creds: credentials.NewStaticSTSCredentialsProvider(simID, secret, token), retry: testRetry, want: KindCredentials},
	}
	for _, tc := range cases {
		for _, debug := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/debug=%v", tc.name, debug), func(t *testing.T) {
				rec := &signatureRecorder{next: tc.transport}
				var log syncBuffer
				cfg := Config{Region: "cn-hangzhou", Endpoint: tc.endpoint, Credentials: tc.creds, Transport: rec, Retry: tc.retry}
				if debug {
					cfg.Debug = &log
				}
				c, err := New(context.Background(), cfg)
				if err != nil {
					t.Fatal(err)
				}
				ctx := context.Background()
				if tc.cancel > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tc.cancel)
					defer cancel()
				}
				// One RPC product (signature in the query) and the ROA one
				// (signature in the Authorization header).
				_, rpcErr := c.VPCs(ctx)
				_, roaErr := c.Clusters(ctx)
				var out strings.Builder
				for _, err := range []error{rpcErr, roaErr} {
					if err == nil {
						t.Fatal("the call succeeded; the case must fail")
					}
					if tc.want != KindUnknown && KindOf(err) != tc.want {
						t.Errorf("kind %v, want %v: %v", KindOf(err), tc.want, err)
					}
					out.WriteString(everyOutput(err))
				}
				out.WriteString(log.String())
				sent := rec.values()
				if len(sent) == 0 {
					t.Fatal("no signed request was sent")
				}
				for _, s := range append([]string{keyID, secret, token, simID, simSecret}, sent...) {
					if s != "" && strings.Contains(out.String(), s) {
						t.Errorf("an output shows the secret %q:\n%s", s, out.String())
					}
				}
				for _, s := range []string{"Signature=", "AccessKeyId=", "SecurityToken="} {
					if strings.Contains(out.String(), s) && !strings.Contains(out.String(), s+redacted) {
						t.Errorf("an output shows %s with its value:\n%s", s, out.String())
					}
				}
			})
		}
	}
}

func TestCleanRemovesSecretFieldsInEveryShape(t *testing.T) {
	s := &secrets{}
	s.add("only-known-value-123")
	for in, want := range map[string]string{
		`Get "https://vpc.aliyuncs.com/?AccessKeyId=LTAIabc&Action=DescribeVpcs&Signature=a%2Bb%3D&SignatureMethod=HMAC-SHA1&SecurityToken=tok": EOF`: `Get "https://vpc.aliyuncs.com/?AccessKeyId=REDACTED&Action=DescribeVpcs&Signature=REDACTED&SignatureMethod=HMAC-SHA1&SecurityToken=REDACTED": EOF`,
		`Authorization: acs LTAIabc:c2ln`:                 `Authorization: acs REDACTED`,
		`"AccessKeySecret": "sekret"`:                     `"AccessKeySecret": "REDACTED"`,
		`x-acs-security-token: tok`:                       `x-acs-security-token: REDACTED`,
		`the value only-known-value-123 in another shape`: `the value REDACTED in another shape`,
		`credentials rejected: check the AccessKey ID`:    `credentials rejected: check the AccessKey ID`,
	} {
		if got := s.clean(in); got != want {
			t.Errorf("clean(%q)\n = %q\nwant %q", in, got, want)
		}
	}
}

// TestRedactRemovesEveryKindOfSecret feeds Redact each kind of secret in
// the shapes it takes in a message or a file (query, header, JSON, YAML,
// PEM) and checks that the secret is gone and the text around it kept.
func TestRedactRemovesEveryKindOfSecret(t *testing.T) {
	const key = "MIIEowIBAAKCAQEAplantedkeymaterial0123456789"
	for _, tc := range []struct{ name, text, secret, kept string }{
		{"AccessKey secret in JSON", `{"AccessKeySecret": "s3cr3tPlantedValue"}`, "s3cr3tPlantedValue", `"AccessKeySecret": "`},
		{"AccessKey in a profile", "access_key_id: LTAIplantedKeyID\naccess_key_secret: plantedSecret9", "plantedSecret9", "access_key_id: "},
		{"STS token in a query", "https://x/?Action=A&SecurityToken=CAISplantedSTS%2Bx&Format=JSON", "CAISplantedSTS", "Format=JSON"},
		{"STS token in a profile", `"sts_token": "CAISplantedSTS2"`, "CAISplantedSTS2", `"sts_token"`},
		{"signed OSS URL", "https://b.oss-cn-hangzhou.aliyuncs.com/o?OSSAccessKeyId=LTAIplanted1&Expires=1&Signature=plantedSig%3D&security-token=plantedOSSsts", "plantedSig", "Expires=1"},
		{"signed OSS URL, V4", "https://b/o?x-oss-credential=LTAIplanted2%2F20260101&x-oss-signature=plantedV4sig", "plantedV4sig", "https://b/o?"},
		{"signed S3 URL", "https://b/o?X-Amz-Credential=AKIAplanted&X-Amz-Signature=plantedAmzSig", "plantedAmzSig", "https://b/o?"},
		{"bearer token in a header", "Authorization: Bearer eyJplanted.bearer.token", "eyJplanted", "Authorization: Bearer "},
		{"bearer token in words", "sent bearer eyJplanted2.x to the server", "eyJplanted2", "to the server"},
		{"kubeconfig token", "users:\n- name: u\n  user:\n    token: plantedKubeToken123\n", "plantedKubeToken123", "name: u"},
		{"kubeconfig client key", "    client-key-data: LS0tLS1CRUdJTplantedKeyData\n", "LS0tLS1CRUdJTplantedKeyData", "client-key-data: "},
		{"kubeconfig password", `{"password":"plantedPassw0rd"}`, "plantedPassw0rd", `{"password":"`},
		{"PEM private key", "key:\n-----BEGIN RSA PRIVATE KEY-----\n" + key + "\n-----END RSA PRIVATE KEY-----\nafter", key, "after"},
		{"PEM private key in JSON", `"k": "-----BEGIN PRIVATE KEY-----\n` + key + `\n-----END PRIVATE KEY-----"`, key, `"k": "-----BEGIN PRIVATE KEY-----`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Redact(tc.text)
			if strings.Contains(got, tc.secret) || !strings.Contains(got, redacted) {
				t.Errorf("Redact(%q) = %q: the secret %q is still there", tc.text, got, tc.secret)
			}
			if !strings.Contains(got, tc.kept) {
				t.Errorf("Redact(%q) = %q: lost %q around the secret", tc.text, got, tc.kept)
			}
		})
	}
	r := NewRedactor()
	r.Add("plain-planted-value")
	if got := r.Redact("a plain-planted-value and plain-planted-value"); strings.Contains(got, "plain-planted") {
		t.Errorf("a Redactor keeps a value it was told of: %q", got)
	}
}
