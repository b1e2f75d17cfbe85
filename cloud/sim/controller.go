package sim

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"time"

	"k8s.io/client-go/rest"
)

// ControllerFieldManager is the field manager the simulated ASM controller
// writes ASMPvlConfig's status as.
const ControllerFieldManager = "asm-pvl-controller"

// ControllerOptions tune the simulated ASM controller.
type ControllerOptions struct {
	// Interval is how often the controller reads ASMPvlConfig and the
	// simulated cloud again to move status along (Creating → Active,
	// Connecting → Connected); default 250ms. How long that takes is the
	// world's delays.
	Interval time.Duration
	// MaxBackoff caps the wait after failed rounds, which doubles from
	// Interval with jitter; default 30s.
	MaxBackoff time.Duration
	// Log, when not nil, receives one line per failed reconcile round.
	Log io.Writer
}

// Controller is the simulated ASM controller of one mesh. It reconciles
// ASMPvlConfig/default in the mesh's Kubernetes API (a real API server or
// the simulator's own in-memory one) against the simulated cloud, as ASM
// does:
//
//   - link A, per cluster: an endpoint service in front of the ACK API
//     server's load balancer and an endpoint in the ASM VPC, in the
//     asmVpcEndpoint vSwitches paired with the cluster (status.clusters);
//   - link B: one endpoint service in front of Pilot's load balancer and,
//     per cluster, an endpoint in the cluster's VPC, in its ackVpcEndpoint
//     vSwitches (status.pilot).
//
// They are real resources of the simulated PrivateLink APIs, with the IDs and
// domain names status shows, and progress over the world's delays. An
// endpoint connects only in zones its service is offered in, and a service
// is offered only in the zones of the vSwitch pairs that keep the guide's
// zone rule (zoneRuleKeepers, its own reading of the guide), so a broken
// zone rule leaves that cluster's connectionStatus Connecting. PrivateLink
// not activated or the endpoint quota reached leave an endpoint service or
// endpoint Failed. Once link A connects, the mesh sees the cluster failed
// with an x509 error until the endpoint's domain is among the cluster's
// certificate SANs. It reads and writes through its own client
// (pvlClient), and after a failed round it waits longer each time, with
// jitter, instead of hammering the API server.
type Controller struct {
	st         *State
	meshID     string
	kube       *pvlClient
	interval   time.Duration
	maxBackoff time.Duration
	log        io.Writer

	clusters   map[string]*clusterLinks
	pilot      serviceRes
	meshStates map[string]string
}

// clusterLinks are the PrivateLink resources of one cluster.
type clusterLinks struct {
	apiServer     serviceRes  // link A: in front of the ACK API server
	asmEndpoint   endpointRes // link A: in the ASM VPC
	pilotEndpoint endpointRes // link B: in the cluster's VPC
}

// serviceRes is an endpoint service the controller made, or the error that
// stopped it.
type serviceRes struct {
	id    string
	zones []string
	err   error
}

// endpointRes is an endpoint the controller made for a service and a set of
// vSwitches, or the error that stopped it.
type endpointRes struct {
	id        string
	serviceID string
	vSwitches []string
	err       error
}

// Status values the simulated controller reports besides the guide's.
const (
	statusFailed       = "Failed"
	statusProvisioning = "Provisioning"
)

// NewController returns the controller of meshID, reading and writing
// ASMPvlConfig on the API server cfg points to as ControllerFieldManager.
func NewController(st *State, meshID string, cfg *rest.Config, opts ControllerOptions) (*Controller, error) {
	if _, ok := st.Mesh(meshID); !ok {
		return nil, fmt.Errorf("the simulated world has no ASM instance %s", meshID)
	}
	if opts.Interval <= 0 {
		opts.Interval = 250 * time.Millisecond
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 30 * time.Second
	}
	kc, err := newPvlClient(cfg, ControllerFieldManager)
	if err != nil {
		return nil, err
	}
	return &Controller{
		st: st, meshID: meshID, kube: kc, interval: opts.Interval, maxBackoff: max(opts.MaxBackoff, opts.Interval), log: opts.Log,
		clusters: map[string]*clusterLinks{}, meshStates: map[string]string{},
	}, nil
}

// Run reconciles every Interval until ctx is done: it reads ASMPvlConfig
// again, moves the cloud along and writes status when it changed. After a
// failed round (the API server down, a conflict, a refused write) it waits
// twice as long as before, up to MaxBackoff, with up to half again at
// random, and returns to Interval after a round that succeeds.
func (c *Controller) Run(ctx context.Context) {
	wait := time.Duration(0)
	failures := 0
	for {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		err := c.round(ctx)
		if err == nil {
			failures, wait = 0, c.interval
			continue
		}
		if ctx.Err() != nil {
			return
		}
		failures++
		wait = c.backoff(failures)
		if c.log != nil {
			fmt.Fprintf(c.log, "asm controller %s: %v (next try in %s)\n", c.meshID, err, wait.Round(time.Millisecond))
		}
	}
}

// backoff is the wait after n failed rounds in a row: Interval·2^n, capped
// at MaxBackoff, plus up to half of it at random.
func (c *Controller) backoff(n int) time.Duration {
	d := c.interval << min(n, 20)
	if d <= 0 || d > c.maxBackoff {
		d = c.maxBackoff
	}
	return d + rand.N(d/2+1)
}

// round reads ASMPvlConfig and reconciles once.
func (c *Controller) round(ctx context.Context) error {
	cfg, err := c.kube.get(ctx)
	if err != nil {
		return err
	}
	return c.reconcile(ctx, cfg)
}

// reconcile makes the simulated cloud match cfg (nil: no object) and writes
// status.
func (c *Controller) reconcile(ctx context.Context, cfg *pvlConfig) error {
	mesh, _ := c.st.Mesh(c.meshID)
	var entries []ackEndpoint
	if cfg != nil {
		entries = cfg.Spec.AckVpcEndpoint
	}
	for id, links := range c.clusters {
		if !slices.ContainsFunc(entries, func(e ackEndpoint) bool { return e.ClusterID == id }) {
			c.removeCluster(id, links)
		}
	}
	if len(entries) == 0 {
		c.deleteService(&c.pilot)
		if cfg == nil {
			return nil
		}
		return c.writeStatus(ctx, cfg, pvlStatus{})
	}
	asm := cfg.Spec.AsmVpcEndpoint.VSwitches
	var pilotZones []string
	for _, e := range entries {
		links := c.clusters[e.ClusterID]
		if links == nil {
			links = &clusterLinks{}
			c.clusters[e.ClusterID] = links
		}
		validASM, validACK := zoneRuleKeepers(asm, e, c.zoneOf)
		cluster, _ := c.st.Cluster(e.ClusterID)
		// The endpoint sits in the ASM vSwitches paired with this cluster,
		// so adding another cluster's ASM vSwitch leaves it alone; with no
		// pair it sits in all of them and never connects.
		paired := pick(asm, validASM)
		c.ensureService(&links.apiServer, mesh.RegionID, cluster.APIServerLB, c.zonesOf(mesh.RegionID, paired),
			"API server of ACK cluster "+e.ClusterID+" for ASM "+c.meshID)
		if len(paired) == 0 {
			paired = asm
		}
		c.ensureEndpoint(&links.asmEndpoint, &links.apiServer, mesh.RegionID, mesh.VpcID, paired, "asm-"+e.ClusterID)
		pilotZones = appendNew(pilotZones, c.zonesOf(mesh.RegionID, pick(e.VSwitches, validACK))...)
	}
	c.ensureService(&c.pilot, mesh.RegionID, mesh.PilotLB, pilotZones, "Pilot of ASM "+c.meshID)
	for _, e := range entries {
		cluster, _ := c.st.Cluster(e.ClusterID)
		c.ensureEndpoint(&c.clusters[e.ClusterID].pilotEndpoint, &c.pilot, mesh.RegionID, cluster.VpcID, e.VSwitches, "pilot-"+c.meshID)
	}
	st := c.status(entries)
	c.checkSANs(st)
	return c.writeStatus(ctx, cfg, st)
}

// zoneOf is the zone vSwitch id really is in, "" when the cloud has no
// such vSwitch.
func (c *Controller) zoneOf(id string) string {
	v, _ := c.st.VSwitch(id)
	return v.ZoneID
}

// pick returns list's elements at indices.
func pick(list []pvlVSwitch, indices []int) []pvlVSwitch {
	out := make([]pvlVSwitch, 0, len(indices))
	for _, i := range indices {
		out = append(out, list[i])
	}
	return out
}

// zonesOf lists, once each, the PrivateLink zones the vSwitches really are
// in: where a service is offered for endpoints in them.
func (c *Controller) zonesOf(region string, list []pvlVSwitch) []string {
	var out []string
	for _, v := range list {
		if z := c.zoneOf(v.VSwitchID); z != "" && c.st.PrivateLinkZone(region, z) {
			out = appendNew(out, z)
		}
	}
	return out
}

// appendNew appends the values list does not hold yet.
func appendNew(list []string, values ...string) []string {
	for _, v := range values {
		if !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

// ensureService creates the endpoint service when it does not exist yet
// (again after a failure) and offers it in zones.
func (c *Controller) ensureService(r *serviceRes, region, lb string, zones []string, desc string) {
	if r.id == "" {
		info, err := c.st.CreateEndpointService(EndpointServiceSpec{RegionID: region, ResourceType: "slb", ResourceID: lb, Zones: zones, Description: desc})
		*r = serviceRes{id: info.ID, zones: zones, err: err}
		return
	}
	if !slices.Equal(r.zones, zones) {
		r.err = c.st.SetEndpointServiceZones(r.id, zones)
		if r.err == nil {
			r.zones = zones
		}
	}
}

// ensureEndpoint creates the endpoint to svc in the vSwitches, replacing
// one made for another service or other vSwitches.
func (c *Controller) ensureEndpoint(r *endpointRes, svc *serviceRes, region, vpc string, list []pvlVSwitch, name string) {
	ids := make([]string, len(list))
	zones := make([]EndpointZone, len(list))
	for i, v := range list {
		ids[i] = v.VSwitchID
		zone := v.ZoneID
		if z := c.zoneOf(v.VSwitchID); z != "" {
			zone = z
		}
		zones[i] = EndpointZone{ZoneID: zone, VSwitchID: v.VSwitchID}
	}
	if r.id != "" && (r.serviceID != svc.id || !slices.Equal(r.vSwitches, ids)) {
		c.deleteEndpoint(r)
	}
	if r.id != "" || svc.id == "" {
		return
	}
	info, err := c.st.CreateEndpoint(EndpointSpec{RegionID: region, VpcID: vpc, ServiceID: svc.id, Name: name, Zones: zones})
	*r = endpointRes{id: info.ID, serviceID: svc.id, vSwitches: ids, err: err}
}

func (c *Controller) deleteEndpoint(r *endpointRes) {
	if r.id != "" {
		_ = c.st.DeleteEndpoint(r.id)
	}
	*r = endpointRes{}
}

func (c *Controller) deleteService(r *serviceRes) {
	if r.id != "" {
		_ = c.st.DeleteEndpointService(r.id)
	}
	*r = serviceRes{}
}

// removeCluster deletes the endpoints and the endpoint service of one
// cluster, and nothing else.
func (c *Controller) removeCluster(id string, links *clusterLinks) {
	c.deleteEndpoint(&links.asmEndpoint)
	c.deleteEndpoint(&links.pilotEndpoint)
	c.deleteService(&links.apiServer)
	delete(c.clusters, id)
	delete(c.meshStates, id)
}

// status reads every resource from the simulated cloud as it is now.
func (c *Controller) status(entries []ackEndpoint) pvlStatus {
	st := pvlStatus{Pilot: &pilotStatus{PvlEndpointService: c.serviceStatus(c.pilot)}}
	working, failed := true, false
	note := func(svc *serviceState, ep *endpointState) {
		if svc == nil || svc.Status != pvlActive || ep == nil || ep.Status != pvlActive || ep.ConnectionStatus != pvlConnected {
			working = false
		}
		failed = failed || (svc != nil && svc.Status == statusFailed) || (ep != nil && ep.Status == statusFailed)
	}
	for _, e := range entries {
		links := c.clusters[e.ClusterID]
		a := linkStatus{ClusterID: e.ClusterID, PvlEndpoint: c.endpointStatus(links.asmEndpoint), PvlEndpointService: c.serviceStatus(links.apiServer)}
		b := linkStatus{ClusterID: e.ClusterID, PvlEndpoint: c.endpointStatus(links.pilotEndpoint)}
		note(a.PvlEndpointService, a.PvlEndpoint)
		note(st.Pilot.PvlEndpointService, b.PvlEndpoint)
		st.Clusters = append(st.Clusters, a)
		st.Pilot.Clusters = append(st.Pilot.Clusters, b)
	}
	switch {
	case working:
		st.Status = pvlAvailable
	case failed:
		st.Status = statusFailed
	default:
		st.Status = statusProvisioning
	}
	return st
}

func (c *Controller) serviceStatus(r serviceRes) *serviceState {
	if r.id == "" {
		if r.err != nil {
			return &serviceState{Status: statusFailed}
		}
		return nil
	}
	info, ok := c.st.EndpointService(r.id)
	if !ok {
		return &serviceState{ID: r.id, Status: statusFailed}
	}
	return &serviceState{ID: info.ID, Name: info.Name, Status: info.Status}
}

func (c *Controller) endpointStatus(r endpointRes) *endpointState {
	if r.id == "" {
		if r.err != nil {
			return &endpointState{Status: statusFailed}
		}
		return nil
	}
	info, ok := c.st.Endpoint(r.id)
	if !ok {
		return &endpointState{ID: r.id, Status: statusFailed}
	}
	return &endpointState{ConnectionStatus: info.ConnectionStatus, DomainName: info.Domain, ID: info.ID, Status: info.Status}
}

// defaultSANs are the names every ACK API server certificate holds.
var defaultSANs = []string{"kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"}

// checkSANs sets how the mesh sees each cluster whose link A is connected:
// failed with an x509 error while the endpoint's domain is not among the
// cluster's certificate SANs, running once it is.
func (c *Controller) checkSANs(st pvlStatus) {
	for _, l := range st.Clusters {
		ep := l.PvlEndpoint
		if ep == nil || ep.ConnectionStatus != pvlConnected {
			continue
		}
		cluster, ok := c.st.Cluster(l.ClusterID)
		if !ok {
			continue
		}
		state, msg := "running", ""
		if !slices.Contains(cluster.ExtraSANs, ep.DomainName) {
			state = "failed"
			msg = fmt.Sprintf(`Get "https://%s:6443/version": x509: certificate is valid for %s, not %s`,
				ep.DomainName, strings.Join(append(slices.Clone(defaultSANs), cluster.ExtraSANs...), ", "), ep.DomainName)
		}
		if c.meshStates[l.ClusterID] == state+msg {
			continue
		}
		if err := c.st.SetMeshClusterState(c.meshID, l.ClusterID, state, msg); err == nil {
			c.meshStates[l.ClusterID] = state + msg
		}
	}
}

// writeStatus writes st unless the object already reports it.
func (c *Controller) writeStatus(ctx context.Context, cfg *pvlConfig, st pvlStatus) error {
	current := pvlStatus{}
	if cfg.Status != nil {
		current = *cfg.Status
	}
	if sameStatus(current, st) {
		return nil
	}
	return c.kube.writeStatus(ctx, cfg, st)
}

// sameStatus compares two statuses as they are written (empty lists and
// absent ones alike).
func sameStatus(a, b pvlStatus) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	var ma, mb any
	_ = json.Unmarshal(x, &ma)
	_ = json.Unmarshal(y, &mb)
	return reflect.DeepEqual(ma, mb)
}
