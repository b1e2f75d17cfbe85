package cloud

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/privatelink"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/quotas"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/servicemesh"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

// Config says how to reach Alibaba Cloud. The zero value of every field
// means the documented default.
type Config struct {
	// Region is --region. Empty: ALIBABA_CLOUD_REGION_ID, then the selected
	// profile's region_id in ~/.aliyun/config.json.
	Region string
	// Profile is --profile: the ~/.aliyun/config.json profile to sign with.
	// Empty: the SDK's default chain (see resolveCredentials).
	Profile string
	// Endpoint is --endpoint or ASMLINK_ENDPOINT: a base URL such as
	// http://127.0.0.1:8080 that every product's calls are sent to, with the
	// original Host header kept. Calls to it never go through a proxy.
	Endpoint string
	// Credentials, when set, replaces the credential chain (the demo and
	// tests use it with the simulator's key).
	Credentials credentials.CredentialsProvider
	// Transport, when set, carries every HTTP request (under the endpoint
	// redirect, if any). Default: a clone of http.DefaultTransport that uses
	// the proxy from the environment, or no proxy when Endpoint is set.
	Transport http.RoundTripper
	// Debug, when set, receives one line per call attempt: product, action,
	// HTTP status, duration, attempt. Never a key, signature, token or body.
	Debug io.Writer
	// MaxConcurrency bounds the calls in flight at once. Default
	// defaultConcurrency.
	MaxConcurrency int
	// PageSize, when set, replaces each list API's maximum page size (tests
	// use a small one to exercise paging).
	PageSize int
	// Retry is the retry policy. Zero fields take the defaults.
	Retry RetryPolicy
}

// RetryPolicy bounds retries of throttled, failed (5xx, transport) and timed
// out calls. Waits grow exponentially with jitter.
type RetryPolicy struct {
	MaxAttempts int           // attempts per call, including the first. Default 5.
	BaseDelay   time.Duration // wait before the second attempt, doubled each time. Default 200ms.
	MaxDelay    time.Duration // longest wait between attempts. Default 5s.
	MaxElapsed  time.Duration // no new attempt starts after this long since the first. Default 45s.
	CallTimeout time.Duration // one attempt is cut after this long. Default 20s.
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 5
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 200 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 5 * time.Second
	}
	if p.MaxElapsed <= 0 {
		p.MaxElapsed = 45 * time.Second
	}
	if p.CallTimeout <= 0 {
		p.CallTimeout = 20 * time.Second
	}
	return p
}

// backoff is the wait after the given failed attempt (1-based): half of
// BaseDelay·2^(attempt-1), capped at MaxDelay, plus up to as much again at
// random, so that concurrent callers spread out.
func (p RetryPolicy) backoff(attempt int) time.Duration {
	d := p.BaseDelay << min(attempt-1, 20)
	if d > p.MaxDelay || d <= 0 {
		d = p.MaxDelay
	}
	half := d / 2
	return half + rand.N(half+1)
}

// defaultConcurrency is how many calls a client has in flight at once
// unless Config.MaxConcurrency says otherwise. Alibaba Cloud does not limit
// calls in flight: it throttles each API operation by calls per time window
// and account ("Throttling and quota management", Alibaba Cloud OpenAPI
// documentation; the quotas are in Quota Center > API Rate Limits), and a
// throttled call is answered Throttling.* and retried here with backoff
// (RetryPolicy). 32 lets the wizard's inventory (55 calls on a region of
// 300 clusters and 40 VPCs, 40 of them one DescribeVSwitches per VPC) go
// out in the three waves its dependencies need, instead of seven at 8; one
// load stays a single burst of a few dozen calls per operation, which a
// per-operation quota absorbs or throttles into the backoff.
const defaultConcurrency = 32

// Product codes, as the SDK and the debug log name them.
const (
	productMesh        = "servicemesh"
	productCS          = "cs"
	productVPC         = "vpc"
	productPrivateLink = "privatelink"
	productQuotas      = "quotas"
)

// Client is the Alibaba Cloud API client. It implements API and is safe for
// concurrent use.
type Client struct {
	region    string
	identity  Identity
	creds     credentials.CredentialsProvider
	transport http.RoundTripper
	retry     RetryPolicy
	pageSize  int
	slots     chan struct{}
	// secrets are the credentials and signatures this client has sent,
	// removed from every error it returns.
	secrets *secrets
	debugMu sync.Mutex
	debug   io.Writer
	// circuit fails calls at once to an endpoint that did not connect.
	circuit *circuit
}

var _ API = (*Client)(nil)

// New builds a client: it resolves the region and picks the credentials
// provider (without contacting anything), and prepares the endpoint
// redirect. Errors are *Error of kind Credentials, ErrNoRegion, or a
// configuration error naming --endpoint.
func New(ctx context.Context, cfg Config) (*Client, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cliCfg, err := loadCLIConfig()
	if err != nil {
		return nil, err
	}
	region, regionFrom, err := resolveRegion(cfg.Region, cfg.Profile, cliCfg)
	if err != nil {
		return nil, err
	}
	src := credentialSource{provider: cfg.Credentials, name: ProviderStatic}
	if cfg.Credentials == nil {
		if src, err = resolveCredentials(cfg.Profile, cliCfg); err != nil {
			return nil, err
		}
	}
	if cfg.MaxConcurrency <= 0 {
		cfg.MaxConcurrency = defaultConcurrency
	}
	slots := cfg.MaxConcurrency
	transport, err := baseTransport(cfg)
	if err != nil {
		return nil, err
	}
	known := &secrets{}
	return &Client{
		region: region,
		identity: Identity{
			Provider:   src.name,
			Profile:    src.profile,
			Region:     region,
			RegionFrom: regionFrom,
			Endpoint:   cfg.Endpoint,
		},
		creds:     &lockedProvider{inner: src.provider, secrets: known},
		secrets:   known,
		transport: transport,
		retry:     cfg.Retry.withDefaults(),
		pageSize:  cfg.PageSize,
		slots:     make(chan struct{}, slots),
		debug:     cfg.Debug,
		circuit:   &circuit{redirect: redirectHost(transport)},
	}, nil
}

// Identity says which credentials provider, profile and region are in use.
func (c *Client) Identity() Identity { return c.identity }

// baseTransport builds the transport every attempt goes through: the
// configured or default transport, under the endpoint redirect when one is
// set.
func baseTransport(cfg Config) (http.RoundTripper, error) {
	base := cfg.Transport
	if base == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		// As many idle connections as calls in flight, so that no call
		// pays for a new connection and TLS handshake once warm.
		t.MaxIdleConnsPerHost = cfg.MaxConcurrency
		if cfg.Endpoint != "" {
			t.Proxy = nil
		}
		base = t
	}
	if cfg.Endpoint == "" {
		return base, nil
	}
	target, err := url.Parse(cfg.Endpoint)
	if err != nil || (target.Scheme != "http" && target.Scheme != "https") || target.Host == "" {
		return nil, &Error{Kind: KindInvalid, API: "endpoint", Message: fmt.Sprintf("--endpoint (or ASMLINK_ENDPOINT) %q is not a base URL", cfg.Endpoint),
			Hint: "give a URL with scheme and host, for example http://127.0.0.1:8080"}
	}
	return &redirectTransport{target: target, next: base}, nil
}

// redirectHost is the host every call goes to when transport is the
// --endpoint redirect, else empty.
func redirectHost(transport http.RoundTripper) string {
	if r, ok := transport.(*redirectTransport); ok {
		return r.target.Host
	}
	return ""
}

// redirectTransport sends every request to one base URL, whatever product
// host the SDK resolved, keeping the original Host header so the far side
// can still tell the products apart. It works for RPC and ROA alike (setting
// the SDK's Domain to host:port breaks ROA URLs).
type redirectTransport struct {
	target *url.URL
	next   http.RoundTripper
}

func (t *redirectTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.URL.Scheme = t.target.Scheme
	r.URL.Host = t.target.Host
	if p := t.target.Path; p != "" && p != "/" {
		r.URL.Path = p + r.URL.Path
		r.URL.RawPath = ""
	}
	return t.next.RoundTrip(r)
}

// attemptTransport binds one attempt's context (cancellation and per-call
// timeout; the V1 SDK takes no context), remembers the request's signature
// so that no error can repeat it, and records the HTTP status for the debug
// log.
type attemptTransport struct {
	ctx     context.Context
	next    http.RoundTripper
	secrets *secrets
	status  int
	circuit *circuit
	api     string
	timeout time.Duration
	// dead is set when the circuit refused the request.
	dead bool
}

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.secrets.addRequest(req)
	resp, err := t.circuit.roundTrip(t.ctx, t.next, req, t.api, t.timeout)
	var dead deadEndpointError
	t.dead = errors.As(err, &dead)
	if err == nil {
		t.status = resp.StatusCode
	}
	return resp, err
}

// op names one API for retries, logs and errors.
type op struct {
	product string
	action  string
	// idempotent calls are retried on 5xx and timeouts too; others only when
	// throttled, since a failed mutation may have taken effect.
	idempotent bool
}

func (o op) String() string { return o.product + "." + o.action }

// ramAction is the RAM action a policy must allow for the call.
func (o op) ramAction() string { return o.product + ":" + o.action }

// call runs one API call with retries. fn performs one attempt with a fresh
// SDK client of o's product, bound to that attempt's context.
func (c *Client) call(ctx context.Context, o op, fn func(sc *sdk.Client) error) error {
	return c.callChecked(ctx, o, fn, nil)
}

// callChecked is call with a second opinion: after the first failed
// attempt, check may look at the failure and return the error to stop
// with instead (nil goes on as call does).
func (c *Client) callChecked(ctx context.Context, o op, fn func(sc *sdk.Client) error, check func(context.Context, *Error) error) error {
	start := time.Now()
	for attempt := 1; ; attempt++ {
		err, dead := c.attempt(ctx, o, attempt, fn)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w", o, context.Cause(ctx))
		}
		var e *Error
		if !errors.As(err, &e) {
			return err
		}
		e.Attempts = attempt
		if check != nil && attempt == 1 {
			if cerr := check(ctx, e); cerr != nil {
				return cerr
			}
		}
		retry := e.retryable() && (o.idempotent || e.Kind == KindThrottled) && attempt < c.retry.MaxAttempts && !dead
		wait := c.retry.backoff(attempt)
		if !retry || time.Since(start)+wait > c.retry.MaxElapsed {
			c.explain(o, e)
			return e
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return fmt.Errorf("%s: %w", o, context.Cause(ctx))
		case <-timer.C:
		}
	}
}

// attempt makes one try: it takes a concurrency slot, builds an SDK client
// bound to a context with the per-call timeout, runs fn, logs one line, and
// classifies any failure; dead tells that the call was not made because
// its endpoint did not connect on an earlier one (no retry can help).
func (c *Client) attempt(ctx context.Context, o op, n int, fn func(sc *sdk.Client) error) (err error, dead bool) {
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err(), false
	}
	defer func() { <-c.slots }()

	actx, cancel := context.WithTimeout(ctx, c.retry.CallTimeout)
	defer cancel()
	at := &attemptTransport{ctx: actx, next: c.transport, secrets: c.secrets, circuit: c.circuit, api: o.String(), timeout: c.retry.CallTimeout}
	sc, err := c.sdkClient(o.product, at)
	if err != nil {
		return c.secrets.cleanError(&Error{Kind: KindInvalid, API: o.String(), Message: err.Error()}), false
	}
	began := time.Now()
	err = fn(sc)
	e := c.secrets.cleanError(c.classify(o, actx, err))
	c.logAttempt(o, at.status, time.Since(began), n, e)
	if e == nil {
		return nil, false
	}
	return e, at.dead
}

// sdkClient builds a product client of the V1 SDK that sends through rt.
// Building one per attempt is cheap, binds the attempt's context, and avoids
// the SDK client's unsynchronised per-call timeout writes.
func (c *Client) sdkClient(product string, rt http.RoundTripper) (*sdk.Client, error) {
	cfg := sdk.NewConfig().WithScheme("HTTPS")
	cfg.Transport = rt
	var sc *sdk.Client
	switch product {
	case productMesh:
		cl, err := servicemesh.NewClientWithOptions(c.region, cfg, c.creds)
		if err != nil {
			return nil, err
		}
		sc = &cl.Client
	case productCS:
		cl, err := cs.NewClientWithOptions(c.region, cfg, c.creds)
		if err != nil {
			return nil, err
		}
		sc = &cl.Client
	case productVPC:
		cl, err := vpc.NewClientWithOptions(c.region, cfg, c.creds)
		if err != nil {
			return nil, err
		}
		sc = &cl.Client
	case productPrivateLink:
		cl, err := privatelink.NewClientWithOptions(c.region, cfg, c.creds)
		if err != nil {
			return nil, err
		}
		sc = &cl.Client
	case productQuotas:
		cl, err := quotas.NewClientWithOptions(c.region, cfg, c.creds)
		if err != nil {
			return nil, err
		}
		sc = &cl.Client
	default:
		return nil, fmt.Errorf("unknown product %q", product)
	}
	sc.SetReadTimeout(c.retry.CallTimeout)
	return sc, nil
}

// classify turns an SDK or transport error into a typed Error (nil for nil).
// A transport failure is described by its cause, never by the *url.Error
// around it, whose text is the whole signed request URL; attempt then
// removes every secret left (secrets.cleanError).
func (c *Client) classify(o op, actx context.Context, err error) *Error {
	if err == nil {
		return nil
	}
	var (
		se *sdkerrors.ServerError
		ce *credentialsError
		ne net.Error
	)
	var dead deadEndpointError
	switch {
	case errors.As(err, &dead):
		return &Error{Kind: KindTimeout, API: o.String(), Message: dead.Error(), Err: dead}
	case errors.As(err, &ce):
		return &Error{Kind: KindCredentials, API: o.String(), Message: ce.Error(), Err: ce.err}
	case errors.As(err, &se):
		e := fromServerError(o.String(), se)
		if e.Kind == KindPermission && e.RAMAction == "" {
			e.RAMAction = o.ramAction()
		}
		return e
	case errors.Is(actx.Err(), context.DeadlineExceeded):
		return &Error{Kind: KindTimeout, API: o.String(), Message: fmt.Sprintf("no answer within %s", c.retry.CallTimeout), Err: err}
	case errors.As(err, &ne) && ne.Timeout():
		return &Error{Kind: KindTimeout, API: o.String(), Message: transportCause(err).Error(), Err: err}
	}
	var cle *sdkerrors.ClientError
	if errors.As(err, &cle) && cle.ErrorCode() == sdkerrors.JsonUnmarshalErrorCode {
		return &Error{Kind: KindUnknown, API: o.String(), Message: "the answer could not be decoded", Err: err}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return &Error{Kind: KindUnavailable, API: o.String(), Message: ue.Err.Error(), Err: err}
	}
	return &Error{Kind: KindUnknown, API: o.String(), Message: err.Error(), Err: err}
}

// transportCause is what went wrong under a *url.Error (the error without
// the request URL), or err itself.
func transportCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// explain writes the hint of a final error: what to do, in the words of the
// identity and region in use.
func (c *Client) explain(o op, e *Error) {
	who := c.identity.Provider
	if c.identity.Profile != "" {
		who += " profile " + c.identity.Profile
	}
	switch e.Kind {
	case KindCredentials:
		e.Hint = fmt.Sprintf("the cloud rejected the credentials from %s: check the AccessKey ID and secret, or refresh the STS token", who)
	case KindPermission:
		e.Hint = fmt.Sprintf("the RAM user or role of %s needs the RAM action %s: ask an administrator to grant it", who, e.RAMAction)
	case KindNotFound:
		e.Hint = fmt.Sprintf("check the ID, and that it is in region %s (--region)", c.region)
	case KindThrottled:
		e.Hint = "the API is rate-limited: wait a minute and run again"
	case KindUnavailable, KindTimeout:
		if c.identity.Endpoint != "" {
			e.Hint = fmt.Sprintf("check that the endpoint %s answers", c.identity.Endpoint)
		} else {
			e.Hint = "check the network path to Alibaba Cloud, or run again later"
		}
	}
}

// logAttempt writes the one debug line of an attempt. It names only the
// product, action, status, duration, attempt and error code.
func (c *Client) logAttempt(o op, status int, d time.Duration, n int, e *Error) {
	if c.debug == nil {
		return
	}
	st := "-"
	if status != 0 {
		st = fmt.Sprint(status)
	}
	outcome := ""
	if e != nil {
		outcome = " error=" + firstNonEmpty(e.Code, e.Kind.String())
	}
	c.debugMu.Lock()
	defer c.debugMu.Unlock()
	fmt.Fprintf(c.debug, "debug: cloud %s %s status=%s duration=%s attempt=%d%s\n", o.product, o.action, st, d.Round(time.Millisecond), n, outcome)
}
