"""The SPIN classifier: a question in Chinese or English -> its SPIN type and a confidence.

features.py turns a question into sparse features (character and word n-grams, cue phrases);
model.py holds the linear model (pure Python at run time, so loading it imports no numpy);
data.py reads the labelled questions (spin/*.yaml and the playbook's bank) and splits off the
dev ideas; training.py fits the model with numpy, only when training.
"""
