// Everything a user needs from one import: @strata/layers (the Keras API, with all of @strata/core's
// tensors and ops; importing it registers both backends), the dataset loaders, and the backends' classes
// for those who construct one themselves.
export * from '@strata/layers';
export * from '@strata/datasets';
export * from '@strata/backend-cpu';
export * from '@strata/backend-webgpu';
