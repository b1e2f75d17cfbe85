package sim

// handler serves one API with the state locked and returns the response
// body without its request ID. Handlers must not call State's exported
// methods, which lock too.
type handler func(st *State, c *call) (J, error)

// rpcRoutes are the RPC APIs the simulator serves, by version and action.
// The same action can exist in several products (DescribeZones in vpc and
// privatelink, DescribeCens in cbn and servicemesh).
var rpcRoutes = map[rpcKey]handler{
	{"2020-01-11", "DescribeServiceMeshes"}:         describeServiceMeshes,
	{"2020-01-11", "DescribeServiceMeshDetail"}:     describeServiceMeshDetail,
	{"2020-01-11", "DescribeServiceMeshKubeconfig"}: describeServiceMeshKubeconfig,
	{"2020-01-11", "DescribeClustersInServiceMesh"}: describeClustersInServiceMesh,
	{"2020-01-11", "DescribeServiceMeshClusters"}:   describeServiceMeshClusters,
	{"2020-01-11", "AddClusterIntoServiceMesh"}:     addClusterIntoServiceMesh,
	{"2020-01-11", "RemoveClusterFromServiceMesh"}:  removeClusterFromServiceMesh,
	{"2020-01-11", "DescribeCens"}:                  describeMeshCens,
	// The data plane: gateways and sidecar injection (dataplane.go, gateway.go).
	{"2020-01-11", "DescribeIngressGateways"}:        describeIngressGateways,
	{"2020-01-11", "DescribeGuestClusterNamespaces"}: describeGuestClusterNamespaces,
	{"2020-01-11", "DescribeGuestClusterPods"}:       describeGuestClusterPods,
	{"2020-01-11", "UpdateIstioInjectionConfig"}:     updateIstioInjectionConfig,
	// Proxy sync and the mesh's own resources (meshstatus.go).
	{"2020-01-11", "DescribeServiceMeshProxyStatus"}:      describeServiceMeshProxyStatus,
	{"2020-01-11", "DescribeServiceMeshAdditionalStatus"}: describeServiceMeshAdditionalStatus,

	{"2016-04-28", "DescribeVpcs"}:      describeVpcs,
	{"2016-04-28", "DescribeVSwitches"}: describeVSwitches,
	{"2016-04-28", "DescribeZones"}:     describeVpcZones,

	{"2020-04-15", "CheckProductOpen"}:                 checkProductOpen,
	{"2020-04-15", "OpenPrivateLinkService"}:           openPrivateLinkService,
	{"2020-04-15", "DescribeZones"}:                    describePrivateLinkZones,
	{"2020-04-15", "ListVpcEndpointServices"}:          listVpcEndpointServices,
	{"2020-04-15", "ListVpcEndpointServicesByEndUser"}: listVpcEndpointServicesByEndUser,
	{"2020-04-15", "GetVpcEndpointServiceAttribute"}:   getVpcEndpointServiceAttribute,
	{"2020-04-15", "ListVpcEndpoints"}:                 listVpcEndpoints,
	{"2020-04-15", "GetVpcEndpointAttribute"}:          getVpcEndpointAttribute,
	{"2020-04-15", "ListVpcEndpointZones"}:             listVpcEndpointZones,
	{"2020-04-15", "CreateVpcEndpoint"}:                createVpcEndpoint,

	{"2017-09-12", "DescribeCens"}:                      describeCens,
	{"2017-09-12", "DescribeCenAttachedChildInstances"}: describeCenAttachedChildInstances,

	{"2020-05-10", "ListProductQuotas"}: listProductQuotas, // quotas.go
}

// serve runs h with the state locked.
func (st *State) serve(h handler, c *call) (J, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	return h(st, c)
}
