package sim

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"

	"github.com/asmlink/asmlink/cloud/kube"
	"github.com/asmlink/asmlink/spec"
)

// ControllerFieldManager is the field manager the simulated ASM controller
// writes ASMPvlConfig's status as.
const ControllerFieldManager = "asm-pvl-controller"

// ControllerOptions tune the simulated ASM controller.
type ControllerOptions struct {
	// Interval is how often the controller reads the simulated cloud again
	// to move status along (Creating → Active, Connecting → Connected);
	// default 250ms. How long that takes is the world's delays.
	Interval time.Duration
	// Log, when not nil, receives one line per failed reconcile step.
	Log io.Writer
}

// Controller is the simulated ASM controller of one mesh. It reconciles
// ASMPvlConfig/default in the mesh's Kubernetes API (any: a real API server
// or kube.NewInMemory) against the simulated cloud, as ASM does:
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
// is offered only in the zones of the vSwitch pairs that keep the zone rule
// (spec.Validate with the world's facts), so a broken zone rule leaves that
// cluster's connectionStatus Connecting. PrivateLink not activated or the
// endpoint quota reached leave an endpoint service or endpoint Failed. Once
// link A connects, the mesh sees the cluster failed with an x509 error until
// the endpoint's domain is among the cluster's certificate SANs.
type Controller struct {
	st       *State
	meshID   string
	kube     *kube.Client
	interval time.Duration
	log      io.Writer

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

// Status values the simulated controller reports besides spec's.
const (
	statusFailed       = "Failed"
	statusProvisioning = "Provisioning"
)

// NewController returns the controller of meshID, writing status through c
// as ControllerFieldManager.
func NewController(st *State, meshID string, c *kube.Client, opts ControllerOptions) (*Controller, error) {
	if _, ok := st.Mesh(meshID); !ok {
		return nil, fmt.Errorf("the simulated world has no ASM instance %s", meshID)
	}
	if opts.Interval <= 0 {
		opts.Interval = 250 * time.Millisecond
	}
	return &Controller{
		st: st, meshID: meshID, kube: c.WithFieldManager(ControllerFieldManager),
		interval: opts.Interval, log: opts.Log,
		clusters: map[string]*clusterLinks{}, meshStates: map[string]string{},
	}, nil
}

// Run reconciles on every change of ASMPvlConfig/default and every
// Interval until ctx is done. Errors (the API server down, a cloud call
// refused) are logged and retried on the next round.
func (c *Controller) Run(ctx context.Context) {
	updates := c.kube.Watch(ctx, kube.WatchOptions{})
	tick := time.NewTicker(c.interval)
	defer tick.Stop()
	var cfg *spec.ASMPvlConfig
	seen := false
	for {
		select {
		case <-ctx.Done():
			return
		case u, ok := <-updates:
			if !ok {
				return
			}
			if u.Err != nil {
				continue
			}
			cfg, seen = u.Config, true
		case <-tick.C:
			if !seen {
				continue
			}
		}
		if err := c.reconcile(ctx, cfg); err != nil && c.log != nil && ctx.Err() == nil {
			fmt.Fprintf(c.log, "asm controller %s: %v\n", c.meshID, err)
		}
	}
}

// reconcile makes the simulated cloud match cfg (nil: no object) and writes
// status.
func (c *Controller) reconcile(ctx context.Context, cfg *spec.ASMPvlConfig) error {
	mesh, _ := c.st.Mesh(c.meshID)
	var entries []spec.AckVpcEndpoint
	if cfg != nil {
		entries = cfg.Spec.AckVpcEndpoint
	}
	for id, links := range c.clusters {
		if !slices.ContainsFunc(entries, func(e spec.AckVpcEndpoint) bool { return e.ClusterID == id }) {
			c.removeCluster(id, links)
		}
	}
	if len(entries) == 0 {
		c.deleteService(&c.pilot)
		if cfg == nil {
			return nil
		}
		return c.writeStatus(ctx, cfg, spec.Status{})
	}
	facts := c.facts(mesh, cfg)
	asm := cfg.Spec.AsmVpcEndpoint.VSwitches
	var pilotZones []string
	for _, e := range entries {
		links := c.clusters[e.ClusterID]
		if links == nil {
			links = &clusterLinks{}
			c.clusters[e.ClusterID] = links
		}
		validASM, validACK := pairsKeepingZoneRule(cfg, e, facts)
		cluster, _ := c.st.Cluster(e.ClusterID)
		// The endpoint sits in the ASM vSwitches paired with this cluster,
		// so adding another cluster's ASM vSwitch leaves it alone; with no
		// pair it sits in all of them and never connects.
		paired := pick(asm, validASM)
		c.ensureService(&links.apiServer, mesh.RegionID, cluster.APIServerLB, c.zonesOf(mesh.RegionID, paired, facts),
			"API server of ACK cluster "+e.ClusterID+" for ASM "+c.meshID)
		if len(paired) == 0 {
			paired = asm
		}
		c.ensureEndpoint(&links.asmEndpoint, &links.apiServer, mesh.RegionID, mesh.VpcID, paired, facts, "asm-"+e.ClusterID)
		pilotZones = appendNew(pilotZones, c.zonesOf(mesh.RegionID, pick(e.VSwitches, validACK), facts)...)
	}
	c.ensureService(&c.pilot, mesh.RegionID, mesh.PilotLB, pilotZones, "Pilot of ASM "+c.meshID)
	for _, e := range entries {
		cluster, _ := c.st.Cluster(e.ClusterID)
		c.ensureEndpoint(&c.clusters[e.ClusterID].pilotEndpoint, &c.pilot, mesh.RegionID, cluster.VpcID, e.VSwitches, facts, "pilot-"+c.meshID)
	}
	st := c.status(entries)
	c.checkSANs(st)
	return c.writeStatus(ctx, cfg, st)
}

// facts are the world's facts about what cfg names, for spec.Validate.
func (c *Controller) facts(mesh MeshFacts, cfg *spec.ASMPvlConfig) *spec.Facts {
	f := &spec.Facts{Region: mesh.RegionID, AsmVpcID: mesh.VpcID, ClusterVpcIDs: map[string]string{}, VSwitches: map[string]spec.VSwitchFact{}}
	add := func(list []spec.VSwitch) {
		for _, v := range list {
			if fact, ok := c.st.VSwitch(v.VSwitchID); ok {
				f.VSwitches[v.VSwitchID] = spec.VSwitchFact{ZoneID: fact.ZoneID, VpcID: fact.VpcID}
			}
		}
	}
	add(cfg.Spec.AsmVpcEndpoint.VSwitches)
	for _, e := range cfg.Spec.AckVpcEndpoint {
		if cl, ok := c.st.Cluster(e.ClusterID); ok {
			f.ClusterVpcIDs[e.ClusterID] = cl.VpcID
		}
		add(e.VSwitches)
	}
	return f
}

// pairsKeepingZoneRule validates cfg reduced to entry e with facts and
// returns the indices of the ASM vSwitches and of e's vSwitches whose zoneId
// keeps the zone rule for this cluster.
func pairsKeepingZoneRule(cfg *spec.ASMPvlConfig, e spec.AckVpcEndpoint, facts *spec.Facts) (asm, ack []int) {
	one := spec.New()
	one.Spec.AckVpcEndpoint = []spec.AckVpcEndpoint{e}
	one.Spec.AsmVpcEndpoint = cfg.Spec.AsmVpcEndpoint
	broken := map[string]bool{}
	for _, f := range spec.Validate(one, facts) {
		if f.Severity == spec.Error && (f.Code == spec.CodeACKZoneRule || f.Code == spec.CodeASMZoneRule) {
			broken[f.Path] = true
		}
	}
	for j := range cfg.Spec.AsmVpcEndpoint.VSwitches {
		if !broken[fmt.Sprintf("spec.asmVpcEndpoint.vSwitches[%d].zoneId", j)] {
			asm = append(asm, j)
		}
	}
	for k := range e.VSwitches {
		if !broken[fmt.Sprintf("spec.ackVpcEndpoint[0].vSwitches[%d].zoneId", k)] {
			ack = append(ack, k)
		}
	}
	return asm, ack
}

// pick returns list's elements at indices.
func pick(list []spec.VSwitch, indices []int) []spec.VSwitch {
	out := make([]spec.VSwitch, 0, len(indices))
	for _, i := range indices {
		out = append(out, list[i])
	}
	return out
}

// zonesOf lists, once each, the PrivateLink zones the vSwitches really are
// in: where a service is offered for endpoints in them.
func (c *Controller) zonesOf(region string, list []spec.VSwitch, facts *spec.Facts) []string {
	var out []string
	for _, v := range list {
		if fact, ok := facts.VSwitches[v.VSwitchID]; ok && c.st.PrivateLinkZone(region, fact.ZoneID) {
			out = appendNew(out, fact.ZoneID)
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
func (c *Controller) ensureEndpoint(r *endpointRes, svc *serviceRes, region, vpc string, list []spec.VSwitch, facts *spec.Facts, name string) {
	ids := make([]string, len(list))
	zones := make([]EndpointZone, len(list))
	for i, v := range list {
		ids[i] = v.VSwitchID
		zone := v.ZoneID
		if fact, ok := facts.VSwitches[v.VSwitchID]; ok {
			zone = fact.ZoneID
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
func (c *Controller) status(entries []spec.AckVpcEndpoint) spec.Status {
	st := spec.Status{Pilot: &spec.PilotLink{PvlEndpointService: c.serviceStatus(c.pilot)}}
	working, failed := true, false
	note := func(svc *spec.EndpointService, ep *spec.PvlEndpoint) {
		if svc == nil || svc.Status != spec.StateActive || ep == nil || ep.Status != spec.StateActive || ep.ConnectionStatus != spec.ConnectionHealthy {
			working = false
		}
		failed = failed || (svc != nil && svc.Status == statusFailed) || (ep != nil && ep.Status == statusFailed)
	}
	for _, e := range entries {
		links := c.clusters[e.ClusterID]
		a := spec.ClusterLink{ClusterID: e.ClusterID, PvlEndpoint: c.endpointStatus(links.asmEndpoint), PvlEndpointService: c.serviceStatus(links.apiServer)}
		b := spec.ClusterLink{ClusterID: e.ClusterID, PvlEndpoint: c.endpointStatus(links.pilotEndpoint)}
		note(a.PvlEndpointService, a.PvlEndpoint)
		note(st.Pilot.PvlEndpointService, b.PvlEndpoint)
		st.Clusters = append(st.Clusters, a)
		st.Pilot.Clusters = append(st.Pilot.Clusters, b)
	}
	switch {
	case working:
		st.Status = spec.StatusAvailable
	case failed:
		st.Status = statusFailed
	default:
		st.Status = statusProvisioning
	}
	return st
}

func (c *Controller) serviceStatus(r serviceRes) *spec.EndpointService {
	if r.id == "" {
		if r.err != nil {
			return &spec.EndpointService{Status: statusFailed}
		}
		return nil
	}
	info, ok := c.st.EndpointService(r.id)
	if !ok {
		return &spec.EndpointService{ID: r.id, Status: statusFailed}
	}
	return &spec.EndpointService{ID: info.ID, Name: info.Name, Status: info.Status}
}

func (c *Controller) endpointStatus(r endpointRes) *spec.PvlEndpoint {
	if r.id == "" {
		if r.err != nil {
			return &spec.PvlEndpoint{Status: statusFailed}
		}
		return nil
	}
	info, ok := c.st.Endpoint(r.id)
	if !ok {
		return &spec.PvlEndpoint{ID: r.id, Status: statusFailed}
	}
	return &spec.PvlEndpoint{ConnectionStatus: info.ConnectionStatus, DomainName: info.Domain, ID: info.ID, Status: info.Status}
}

// defaultSANs are the names every ACK API server certificate holds.
var defaultSANs = []string{"kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"}

// checkSANs sets how the mesh sees each cluster whose link A is connected:
// failed with an x509 error while the endpoint's domain is not among the
// cluster's certificate SANs, running once it is.
func (c *Controller) checkSANs(st spec.Status) {
	for _, l := range st.Clusters {
		ep := l.PvlEndpoint
		if ep == nil || ep.ConnectionStatus != spec.ConnectionHealthy {
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
func (c *Controller) writeStatus(ctx context.Context, cfg *spec.ASMPvlConfig, st spec.Status) error {
	current := spec.Status{}
	if cfg.Status != nil {
		current = *cfg.Status
	}
	if equality.Semantic.DeepEqual(current, st) {
		return nil
	}
	_, err := c.kube.ApplyStatus(ctx, st)
	return err
}
