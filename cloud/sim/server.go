// Package sim is a simulated Alibaba Cloud for asmlink's tests, benchmarks
// and demo. It serves the wire formats of the real APIs asmlink calls —
// servicemesh (ASM), vpc, privatelink and cbn in RPC style, cs (ACK) in ROA
// style — on a loopback HTTP listener, checks access keys and signatures
// like the cloud does, answers errors in each product's own shape, pages
// like each product, and keeps state that mutating calls and the simulated
// ASM controller change, starting from a World.
package sim

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options tune a Server. The zero value serves on 127.0.0.1 with a random
// port, the real clock and the world's own faults.
type Options struct {
	// Addr is the listen address; default 127.0.0.1:0.
	Addr string
	// AllowNonLoopback permits an Addr that is not a loopback address. The
	// simulator's keys are public, so serving it beyond this machine is
	// refused unless asked for.
	AllowNonLoopback bool
	// Clock is the simulated cloud's time; default time.Now. Tests inject a
	// clock to move provisioning along without sleeping.
	Clock func() time.Time
	// Faults, when not nil, replace the world's faults.
	Faults *Faults
	// Log, when not nil, receives one line per API call: method, product,
	// action, HTTP status and duration. Signatures and secrets are never
	// written.
	Log io.Writer
	// ControllerInterval is how often the simulated ASM controllers of the
	// in-memory mesh APIs look again; default the controller's own.
	ControllerInterval time.Duration
	// ControllerLog, when not nil, receives the controllers' failed rounds.
	ControllerLog io.Writer
}

// Server is a running simulated cloud.
type Server struct {
	world   *World
	state   *State
	keys    map[string]AccessKey
	ln      net.Listener
	srv     *http.Server
	closing chan struct{}
	once    sync.Once
	calls   atomic.Int64
	faults  *faultInjector
	log     io.Writer
	logMu   sync.Mutex

	// The in-memory Kubernetes APIs of the meshes (meshapi.go) and their
	// simulated ASM controllers, started on first use.
	meshLn      net.Listener
	meshSrv     *http.Server
	meshMu      sync.Mutex
	meshAPIs    map[string]*meshAPI
	ctrlOpts    ControllerOptions
	ctrlCtx     context.Context
	ctrlStop    context.CancelFunc
	controllers sync.WaitGroup
}

// New starts a simulated cloud serving world. Close it when done.
func New(world *World, opts Options) (*Server, error) {
	if world == nil {
		return nil, errors.New("sim.New: world is nil; load one with LoadWorld")
	}
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if !opts.AllowNonLoopback {
		if err := checkLoopback(addr); err != nil {
			return nil, err
		}
	}
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	faults := world.Faults
	if opts.Faults != nil {
		faults = *opts.Faults
	}
	s := &Server{
		world:   world,
		state:   newState(world, clock),
		keys:    map[string]AccessKey{},
		closing: make(chan struct{}),
		faults:  newFaultInjector(faults),
		log:     opts.Log,

		meshAPIs: map[string]*meshAPI{},
		ctrlOpts: ControllerOptions{Interval: opts.ControllerInterval, Log: opts.ControllerLog},
	}
	s.ctrlCtx, s.ctrlStop = context.WithCancel(context.Background())
	for _, k := range world.AccessKeys {
		s.keys[k.ID] = k
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("simulator cannot listen on %s: %w (pick another --addr)", addr, err)
	}
	s.ln = ln
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	host, _, _ := net.SplitHostPort(addr)
	cert, caPEM, err := meshCert(host)
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("simulator cannot make the certificate of the meshes' API servers: %w", err)
	}
	meshLn, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("simulator cannot listen for the meshes' API servers on %s: %w", host, err)
	}
	s.meshLn = meshLn
	s.meshSrv = &http.Server{Handler: http.HandlerFunc(s.serveMeshAPI), ReadHeaderTimeout: 10 * time.Second}
	s.state.meshAPIBase = "https://" + meshLn.Addr().String() + meshAPIPrefix
	s.state.meshCA = caPEM
	go s.srv.Serve(ln)
	go s.meshSrv.Serve(tls.NewListener(meshLn, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}))
	return s, nil
}

func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("listen address %q is not host:port: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("listen address %q is not a loopback address; the simulator's keys are public, so it only serves this machine unless non-loopback serving is allowed explicitly", addr)
}

// URL is the base URL of the simulator, e.g. http://127.0.0.1:41234.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// MeshAPIURL is where the meshes' in-memory Kubernetes APIs are served:
// the API of mesh ID is at MeshAPIURL()+ID.
func (s *Server) MeshAPIURL() string { return s.state.meshAPIBase }

// AccessKey returns the world's main key pair (the first one listed).
func (s *Server) AccessKey() (id, secret string) {
	return s.world.AccessKeys[0].ID, s.world.AccessKeys[0].Secret
}

// Region is the world's default region.
func (s *Server) Region() string { return s.world.Region }

// World is the world the server started from. Treat it as read-only; the
// current facts are in State.
func (s *Server) World() *World { return s.world }

// State is the simulated cloud's current facts, for the simulated ASM
// controller and for tests.
func (s *Server) State() *State { return s.state }

// SetFaults replaces the faults from the next call on, so that a test can
// start a cloud outage while a command runs and end it again.
func (s *Server) SetFaults(f Faults) { s.faults.set(f) }

// Calls is the number of cloud API calls served so far, including failed
// ones; calls to the meshes' Kubernetes APIs are not counted.
func (s *Server) Calls() int64 { return s.calls.Load() }

// Close stops serving; calls hung by fault injection are answered with a
// closed connection.
func (s *Server) Close() error {
	s.stop()
	s.meshSrv.Close()
	return s.srv.Close()
}

// stop ends hung calls and the simulated ASM controllers, once.
func (s *Server) stop() {
	s.once.Do(func() {
		close(s.closing)
		s.ctrlStop()
		s.controllers.Wait()
	})
}

// Shutdown stops accepting calls and waits for the ones in flight, until ctx
// is done.
func (s *Server) Shutdown(ctx context.Context) error {
	s.stop()
	s.meshSrv.Close()
	return s.srv.Shutdown(ctx)
}

// products maps each product code to its host, for error bodies.
var products = map[string]string{
	"servicemesh": "servicemesh.aliyuncs.com",
	"vpc":         "vpc.aliyuncs.com",
	"privatelink": "privatelink.aliyuncs.com",
	"cbn":         "cbn.aliyuncs.com",
	"cs":          "cs.aliyuncs.com",
	"quotas":      "quotas.aliyuncs.com",
}

// versions maps each RPC API version to its product.
var versions = map[string]string{
	"2020-01-11": "servicemesh",
	"2016-04-28": "vpc",
	"2020-04-15": "privatelink",
	"2017-09-12": "cbn",
	"2020-05-10": "quotas",
}

// call is one API call being served.
type call struct {
	r       *http.Request
	product string
	action  string
	params  url.Values
	body    []byte
	path    []string // ROA path parameters
	keyID   string
	region  string
}

// param returns the first value of an API parameter.
func (c *call) param(name string) string { return c.params.Get(name) }

type rpcKey struct{ version, action string }

// J is a JSON object in a response.
type J = map[string]any

// ServeHTTP answers one API call.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.calls.Add(1)
	start := time.Now()
	c, h, err := s.prepare(r)
	if err == nil {
		err = s.faults.before(r.Context(), c.action, s.closing)
	}
	var body map[string]any
	if err == nil {
		body, err = s.state.serve(h, c)
	}
	status := s.write(w, c, body, err)
	s.logCall(r, c, status, time.Since(start))
}

// prepare reads the call, routes it and checks its credentials.
func (s *Server) prepare(r *http.Request) (*call, handler, error) {
	c := &call{r: r, product: "servicemesh"}
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil {
		return c, nil, apiErr(http.StatusBadRequest, "InvalidParameter", "The request body could not be read: %v.", err)
	}
	c.body = body
	c.params = r.URL.Query()
	var h handler
	if r.URL.Path == "/" || r.URL.Path == "" {
		if ct := r.Header.Get("Content-Type"); strings.HasPrefix(ct, "application/x-www-form-urlencoded") && len(body) > 0 {
			form, err := url.ParseQuery(string(body))
			if err != nil {
				return c, nil, apiErr(http.StatusBadRequest, "InvalidParameter", "The form body is not valid: %v.", err)
			}
			for k, v := range form {
				if _, ok := c.params[k]; !ok {
					c.params[k] = v
				}
			}
		}
		version := firstNonEmpty(c.param("Version"), r.Header.Get("x-acs-version"))
		c.action = firstNonEmpty(c.param("Action"), r.Header.Get("x-acs-action"))
		if p, ok := versions[version]; ok {
			c.product = p
		}
		h = rpcRoutes[rpcKey{version, c.action}]
		if err := s.authenticate(c); err != nil {
			return c, nil, err
		}
		if h == nil {
			return c, nil, apiErr(http.StatusNotFound, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
		}
		c.region = firstNonEmpty(c.param("RegionId"), s.world.Region)
	} else {
		c.product = "cs"
		c.action, h, c.path = routeROA(r.Method, r.URL.Path)
		if err := s.authenticate(c); err != nil {
			return c, nil, err
		}
		if h == nil {
			return c, nil, apiErr(http.StatusNotFound, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
		}
		c.region = firstNonEmpty(c.param("region_id"), s.world.Region)
	}
	if err := s.authorize(c); err != nil {
		return c, nil, err
	}
	return c, h, nil
}

// authorize applies the RAM policy of the caller's key.
func (s *Server) authorize(c *call) error {
	k := s.keys[c.keyID]
	for _, d := range k.DeniedAPIs {
		prod, act, _ := strings.Cut(d, ":")
		if prod == c.product && (act == "*" || act == c.action) {
			e := apiErr(http.StatusForbidden, "Forbidden.RAM", "User not authorized to operate on the specified resource, or this API doesn't support RAM.")
			e.Denied = c.product + ":" + c.action
			return e
		}
	}
	return nil
}

// write sends body or err in the product's shape and returns the HTTP status.
func (s *Server) write(w http.ResponseWriter, c *call, body map[string]any, err error) int {
	reqID := newRequestID()
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.Header().Set("x-acs-request-id", reqID)
	status := http.StatusOK
	if err != nil {
		var ae *APIError
		if !errors.As(err, &ae) {
			ae = internalError()
		}
		status = ae.Status
		if c.product == "cs" {
			body = J{"code": ae.Code, "message": ae.Message, "requestId": reqID, "status": ae.Status}
		} else {
			body = J{"RequestId": reqID, "HostId": products[c.product], "Code": ae.Code, "Message": ae.Message,
				"Recommend": "https://api.aliyun.com/troubleshoot?q=" + url.QueryEscape(ae.Code) + "&product=" + c.product}
			if ae.Denied != "" {
				body["AccessDeniedDetail"] = J{"AuthAction": ae.Denied, "AuthPrincipalType": "SubUser",
					"AuthPrincipalOwnerId": s.world.AccountID, "PolicyType": "AccountLevelIdentityBasedPolicy", "NoPermissionType": "ExplicitDeny"}
			}
		}
	} else if c.product == "cs" {
		if _, ok := body["request_id"]; !ok {
			body["request_id"] = reqID
		}
	} else {
		body["RequestId"] = reqID
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(body)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	return status
}

func (s *Server) logCall(r *http.Request, c *call, status int, d time.Duration) {
	if s.log == nil {
		return
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.log, "sim: %s %s %s %s -> %d (%s)\n", r.Method, c.product, c.action, r.URL.Path, status, d.Round(time.Millisecond))
}

// newRequestID returns an upper-case UUID like the cloud's request IDs.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return strings.ToUpper(fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]))
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}
