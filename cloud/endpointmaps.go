package cloud

import (
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/privatelink"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/servicemesh"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

// The V1 SDK creates each product's endpoint map lazily, in a package
// variable written without a lock on the first client built. Clients are
// built per attempt and calls run concurrently (LoadInventory, edge
// endpoints), so the maps are created once here, before any call.
func init() {
	for _, create := range []func() map[string]string{
		servicemesh.GetEndpointMap, cs.GetEndpointMap, vpc.GetEndpointMap, privatelink.GetEndpointMap,
	} {
		create()
	}
}
