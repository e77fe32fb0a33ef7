#include "codec/product_json.h"
// Placeholder: implemented by the codec work of issue 2.
