package flow

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/asmlink/asmlink/cloud"
)

// EdgeApplyOptions say how CreateEdgeEndpoints runs.
type EdgeApplyOptions struct {
	// DryRun asks the cloud to check each creation (CreateVpcEndpoint with
	// DryRun) and creates nothing.
	DryRun bool
	// Wait bounds and observes the wait for the endpoints to be Active and
	// Connected.
	Wait WaitOptions
	// Created, when set, is told about each endpoint as soon as it is
	// created, so progress can be shown.
	Created func(EdgeEndpoint, cloud.Endpoint)
}

// EdgeOutcome is one planned endpoint after CreateEdgeEndpoints: the
// endpoint as last read and where its network interfaces are.
type EdgeOutcome struct {
	EdgeEndpoint
	// Endpoint is the endpoint as last read; zero after a dry run for an
	// endpoint that would be created.
	Endpoint cloud.Endpoint
	// Zones are the endpoint's zones with their IPs and domains.
	Zones []cloud.EndpointZone
	// Created tells whether this run created the endpoint.
	Created bool
}

// errPlanNotReady refuses a plan whose checks failed.
var errPlanNotReady = errors.New("the plan has failed checks; resolve them first")

// CreateEdgeEndpoints carries out a ready plan: it creates the endpoints
// the plan needs (reusing the ones already there), waits until every one
// is Active and Connected, and lists their zones. A dry run only has the
// cloud check each creation. When a creation fails, the endpoints created
// before it are returned with the error; running again reuses them. A wait
// that runs out of time returns a *TimeoutError with the last states.
func CreateEdgeEndpoints(ctx context.Context, api cloud.EdgeAPI, p *EdgePlan, opts EdgeApplyOptions) ([]EdgeOutcome, error) {
	if !p.Ready() {
		return nil, errPlanNotReady
	}
	out := make([]EdgeOutcome, 0, len(p.Endpoints))
	for _, ep := range p.Endpoints {
		o := EdgeOutcome{EdgeEndpoint: ep}
		if ep.Existing != nil {
			o.Endpoint = *ep.Existing
			out = append(out, o)
			continue
		}
		created, err := api.CreateEndpoint(ctx, cloud.EndpointRequest{
			VpcID: p.VPC.ID, ServiceID: ep.EndpointService.ID, Name: ep.Name, Description: ep.Description,
			SecurityGroupID: p.SecurityGroupID, Zones: ep.Zones, DryRun: opts.DryRun,
		})
		if err != nil {
			verb := "creating"
			if opts.DryRun {
				verb = "checking (dry run)"
			}
			return out, fmt.Errorf("%s the %s endpoint in VPC %s: %w", verb, ep.Service.Title(), p.VPC.ID, err)
		}
		if !opts.DryRun {
			o.Endpoint, o.Created = created, true
			if opts.Created != nil {
				opts.Created(ep, created)
			}
		}
		out = append(out, o)
	}
	if opts.DryRun {
		return out, nil
	}
	if err := waitEdgeEndpoints(ctx, api, out, opts.Wait); err != nil {
		return out, err
	}
	for i := range out {
		zones, err := api.EndpointZones(ctx, out[i].Endpoint.ID)
		if err != nil {
			return out, err
		}
		out[i].Zones = zones
	}
	return out, nil
}

// waitEdgeEndpoints polls every endpoint until all are Active and
// Connected, keeping the latest reading of each in outcomes.
func waitEdgeEndpoints(ctx context.Context, api cloud.EdgeAPI, outcomes []EdgeOutcome, opts WaitOptions) error {
	what := fmt.Sprintf("%d endpoint(s) to be Active and Connected", len(outcomes))
	return Wait(ctx, what, opts, func(ctx context.Context) (bool, string, error) {
		done := true
		var states []string
		for i := range outcomes {
			e, err := api.Endpoint(ctx, outcomes[i].Endpoint.ID)
			if err != nil {
				if cloud.IsNotFound(err) {
					return false, "", Permanent(fmt.Errorf("endpoint %s disappeared: %w", outcomes[i].Endpoint.ID, err))
				}
				return false, strings.Join(states, "; "), err
			}
			outcomes[i].Endpoint = e
			states = append(states, fmt.Sprintf("%s %s/%s", e.ID, e.Status, e.ConnectionStatus))
			done = done && e.Status == "Active" && e.ConnectionStatus == "Connected"
		}
		return done, strings.Join(states, "; "), nil
	})
}
