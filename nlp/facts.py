"""Typed facts: the contract between the spaCy pipeline and the coders.

The pipeline (nlp/pipeline) turns a note into a spaCy Doc; `nlp.pipeline.facts.doc_to_facts(doc)`
turns the Doc into a list of `Fact`. Coders (nlp/coding) read only facts, never text: after this
point nothing re-parses the note.

Attribute vocabularies per family (keys of `Fact.attrs`; absent key or None = not documented):

epilepsy (concepts: epilepsy, seizure, febrile_seizure, pnes, post_traumatic_seizure, status_epilepticus)
    onset: "focal" | "generalized" | "unknown"
    awareness: "aware" | "impaired"
    motor: list[str] of "tonic_clonic" | "absence" | "myoclonic" | "atonic" | "tonic" | "clonic" | "spasms"
    focal_to_bilateral: bool
    syndrome: "lennox_gastaut" | "dravet" | "juvenile_myoclonic" | "infantile_spasms" | "absence_epilepsy"
              | "benign_rolandic" | "kcnq2" | "lafora" | other snake_case name
    etiology: "symptomatic" | "idiopathic" | "cryptogenic"
    intractable: bool          (True: intractable/refractory/pharmacoresistant/poorly controlled;
                                False: explicitly "not intractable"/"well controlled")
    status_epilepticus: bool
    febrile_complex: bool      (febrile seizures: complex vs simple)
    single: bool               (a first / single / isolated seizure: R56.9 fully documented)
    unclassified: bool         (the seizure type is stated as unclassifiable: "difficult to classify")
ms (concepts: multiple_sclerosis, clinically_isolated_syndrome)
    course: "relapsing_remitting" | "primary_progressive" | "secondary_progressive"
    activity: "active" | "non_active"
headache (concepts: migraine, tension_headache, cluster_headache, medication_overuse_headache,
          post_traumatic_headache, headache)
    aura: bool; chronic: bool; episodic: bool; menstrual: bool; hemiplegic: bool
    variant: "vestibular" | "basilar" | "retinal" | "ophthalmoplegic"  (migraine variants, G43.8-/G43.B-)
    intractable: bool; status_migrainosus: bool
neuromuscular (concepts: carpal_tunnel, ulnar_neuropathy, polyneuropathy, diabetic_neuropathy,
               radiculopathy, myopathy, als, myasthenia_gravis, peroneal_neuropathy, ...)
    laterality: "left" | "right" | "bilateral"
    level: list[str] e.g. ["C6", "C7"];  region: "cervical" | "cervicothoracic" | "thoracic" | "thoracolumbar"
           | "lumbar" | "lumbosacral"
    cause: "diabetic" | "alcoholic" | "hereditary" | ...
    poly: bool  (the mention names a polyneuropathy: "peripheral neuropathy", "polyneuropathy"; E11.42 vs E11.40)
    disc_disorder: disc_level: list[str] motion segments e.g. ["C5-C6"]; region as above;
           disc_with: "myelopathy" | "radiculopathy" (what the disc does, stated in its sentence)
stroke (concepts: stroke, tia, hemiparesis, aphasia, dysarthria, facial_weakness, intracerebral_hemorrhage,
        brain_hematoma (coded only with a brain site), subarachnoid_hemorrhage, subdural_hematoma, moyamoya,
        cerebral_palsy (paralytic syndromes G80-G83), concussion, ...)
    stroke_type: "ischemic" | "hemorrhagic"; laterality; dominant_side: bool; sequela: bool; acute: bool
    ich_site: "cortical" | "subcortical" | "brainstem" | "cerebellum" | "intraventricular" (I61.0-I61.5)
    head injury (concussion, subdural_hematoma): traumatic: bool; loc: "none" | "unknown" | "le30" | ...;
        loc_duration
    cerebral_palsy: cp_type: "spastic_quadriplegic" | "spastic_diplegic" | "spastic_hemiplegic" | "dyskinetic"
           | "ataxic" | "mixed"
dementia (concepts: dementia, alzheimer_disease, vascular_dementia, lewy_body_dementia, ...)
    severity: "mild" | "moderate" | "severe"; onset: "early" | "late" (Alzheimer disease)
    behavioral: "agitation" | "psychotic" | "mood" | "anxiety" | true (other behavioral) | false (none)
parkinson (concepts: parkinson_disease, parkinsonism)
ncs (concept: nerve_conduction)
    nerves: list[{"nerve": str, "side": "left"|"right"|None, "tests": list["motor"|"sensory"|"f_wave"|"h_reflex"]}]
    count_uncertain: list[str]  (why the study count is a floor: "nerves tested but not named",
                                 "right median motor reported twice")
ncs studies are counted by the coder from `nerves` (one per nerve+side+test kind; F-wave joins its motor test).
emg (concept: needle_emg)
    muscles: list[{"muscle": str, "side": "left"|"right"|None, "region": "upper_extremity" |
                   "lower_extremity" | "paraspinal" | "thoracic_paraspinal" | "cranial" | "larynx" | "trunk"}]
    extremities: list[str] e.g. ["right upper", "left lower"]  (when stated without a muscle list)
    limited: bool; single_fiber: bool
toxin (concept: botulinum_toxin)
    agent: "onabotulinumtoxinA" | "abobotulinumtoxinA" | "incobotulinumtoxinA" | "rimabotulinumtoxinB"
           | "daxibotulinumtoxinA"
    total_units: float; wasted_units: float; vial_units: float
    injections: list[{"muscle": str, "units": float|None, "side": str|None, "region": "face" | "neck" |
                      "larynx" | "upper_extremity" | "lower_extremity" | "trunk" | "head"}]
    guidance: "emg" | "electrical_stimulation" | "ultrasound"
    indication: "chronic_migraine" | "cervical_dystonia" | "blepharospasm" | "hemifacial_spasm"
                | "spasticity" | "other"
eeg (concept: eeg)
    eeg_type: "routine" | "extended" | "long_term" | "ambulatory" | "polysomnography" (concept polysomnography)
    duration_min: float; states: list["awake" | "drowsy" | "asleep" | "coma"]; video: bool
    monitoring: "unmonitored" | "intermittent" | "continuous"
    read: "end_of_study" | "daily" (long-term studies); video_undocumented: bool
    recorded: bool (a section headed by an EEG states the recording)
    mentions: list[{"section", "assertion", "narrative", "header", "psg_channel", "eeg_type"}]
    state_mentions: list[{"state", "section", "negated", "narrative", "start"}]
    sleep study (coded by nlp/coding/sleep.py): psg_mentions, sleep_channel_mentions, pap_mentions,
    unattended_mentions (each with its section and whether planned / earlier); patient_age_years
lp (concept: lumbar_puncture)
    intent: "diagnostic" | "therapeutic"; guidance: "fluoroscopy" | "ct" | "ultrasound"
nerve_block (concept: nerve_block)
    nerve: "greater_occipital" | "lesser_occipital" | "supraorbital" | ...; laterality
symptom (any other asserted finding the pipeline labels, e.g. concepts weakness, numbness, dizziness;
         family_history_nervous_disease / family_history_stroke: a relative's disease the note compares
         with the patient's, present -> Z82.0 / Z82.3)
    laterality, body_site
other_dx (diagnoses outside the neurology families, for the fallback coder)
    concepts: a common diagnosis of `terms/other_dx.csv` (hypertension, hyperlipidemia, diabetes,
              atrial_fibrillation, gerd, depression, ...), coded from `coding_common_diagnoses.csv`;
              or `diagnosis_line`: one item / sentence of an assessment, impression or diagnosis
              section that holds no other entity (evidence = the item text, list number trimmed),
              matched by rapidfuzz against ICD-10-CM descriptions and inclusion terms.
    treated: bool   (the mention documents current treatment: "hypertension treated with Cozaar",
                     "diabetes on insulin"; a past-medical-history item so documented is current,
                     assertion present)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

ASSERTIONS = ("present", "negated", "uncertain", "historical", "family", "hypothetical")

# stroke-family deficits: coded as I69.x sequelae when told as residuals of a stroke, else as signs
STROKE_DEFICITS = ("hemiparesis", "hemiplegia", "aphasia", "dysarthria", "dysphagia", "facial_weakness", "ataxia")

FAMILIES = (
    "epilepsy", "ms", "headache", "neuromuscular", "stroke", "dementia", "parkinson",
    "ncs", "emg", "toxin", "eeg", "lp", "nerve_block", "symptom", "other_dx",
)


@dataclass(frozen=True)
class Evidence:
    """A span of the original note text (offsets index the original, un-normalised text)."""

    start: int
    end: int
    section: str
    text: str  # note text: for the coder's eyes in results, never for logs

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Fact:
    family: str
    concept: str
    assertion: str = "present"
    evidence: list[Evidence] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def present(self) -> bool:
        return self.assertion == "present"

    def to_dict(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "concept": self.concept,
            "assertion": self.assertion,
            "evidence": [e.to_dict() for e in self.evidence],
            "attrs": self.attrs,
        }
