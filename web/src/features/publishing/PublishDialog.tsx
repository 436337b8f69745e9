import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Dialog, FormErrors, Link, LiveRegion, Notice, RadioGroup, SectionHeading, Text, TextArea, TextField } from '../../components/ui';
import { isApiError } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import type { Channel, Gate, Publication, Purpose } from '../../types/api';
import { ExternalCopy } from './ExternalCopy';
import { GateResult, useGateVerdict } from './GateResult';
import type { GateState } from './GateResult';
import { checkGate, requestPublication } from './publishing.api';
import { needsReview, sortReasons, useReasonWords } from './publishing-words';

export type ChannelChoice = { channel: Channel; purpose: Purpose };

/** How long typing must pause before the gate is asked again. */
const GATE_DELAY_MS = 400;

export function PublishDialog({
  open,
  photoId,
  choices,
  onClose,
  onPublished,
}: {
  open: boolean;
  photoId: string;
  choices: ChannelChoice[];
  onClose: () => void;
  onPublished: (publication: Publication) => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog open={open} onClose={onClose} title={t('publishing.publish.title')}>
      <PublishForm photoId={photoId} choices={choices} onClose={onClose} onPublished={onPublished} />
    </Dialog>
  );
}

type Field = 'channel' | 'altText' | 'occasion';

function PublishForm({ photoId, choices, onClose, onPublished }: { photoId: string; choices: ChannelChoice[]; onClose: () => void; onPublished: (publication: Publication) => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const reasonWords = useReasonWords();
  const verdict = useGateVerdict();
  const [channelId, setChannelId] = useState('');
  const [title, setTitle] = useState('');
  const [caption, setCaption] = useState('');
  const [altText, setAltText] = useState('');
  const [occasion, setOccasion] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<{ text: string; guidelines?: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ publication: Publication; choice: ChannelChoice } | null>(null);
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const gateHeadingId = useId();

  const choice = choices.find((c) => c.channel.id === channelId) ?? null;
  const perOccasion = choice?.purpose.perOccasion ?? false;

  // The gate's answer follows the texts as they are typed: asked again when typing pauses,
  // and an answer to older texts is dropped when newer ones are on their way. Whether the
  // answer is for the texts as they are now is worked out while rendering, not set by an
  // effect on every key: such an effect left an update waiting behind each key typed, and
  // when keys come faster than the page renders, React takes 50 of them for an endless loop
  // and stops the page (error #185).
  const question = useMemo(
    () => (channelId && !result ? { channelId, caption, altText, title, ...(perOccasion && occasion.trim() ? { occasion: occasion.trim() } : {}) } : null),
    [channelId, caption, altText, title, occasion, perOccasion, result],
  );
  const [answer, setAnswer] = useState<{ question: typeof question; state: GateState } | null>(null);
  const [lastGate, setLastGate] = useState<Gate | null>(null);
  const gate: GateState = !question ? { status: 'idle' } : answer?.question === question ? answer.state : { status: 'checking', previous: lastGate };

  useEffect(() => {
    if (!question) return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      checkGate(photoId, question, controller.signal)
        .then((found) => {
          setLastGate(found);
          setAnswer({ question, state: { status: 'ready', gate: found } });
        })
        .catch((error: unknown) => {
          if (controller.signal.aborted) return;
          setAnswer({ question, state: { status: 'failed', message: errorText(error) } });
        });
    }, GATE_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [photoId, question, errorText]);

  useEffect(() => {
    if (result) resultHeading.current?.focus();
  }, [result]);

  // What a screen reader hears when the answer changes: the verdict and what to fix.
  const announcement =
    gate.status === 'ready'
      ? [verdict(gate.gate).text, ...sortReasons(gate.gate.reasons).map((r) => reasonWords(r, choice?.channel.name ?? '').text)].join(' ')
      : null;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const found: Partial<Record<Field, string>> = {};
    if (!choice) found.channel = t('publishing.publish.channelRequired');
    if (!altText.trim()) found.altText = t('publishing.publish.altTextRequired');
    if (perOccasion && !occasion.trim()) found.occasion = t('publishing.publish.occasionRequired');
    setErrors(found);
    setAttempt((n) => n + 1);
    setFailure(null);
    if (Object.keys(found).length > 0 || !choice) return;
    setBusy(true);
    try {
      const answer = await requestPublication({
        photoId,
        channelId: choice.channel.id,
        caption: caption.trim(),
        altText: altText.trim(),
        title: title.trim(),
        ...(perOccasion ? { occasion: occasion.trim() } : {}),
      });
      setResult({ publication: answer.publication, choice });
      onPublished(answer.publication);
    } catch (caught) {
      if (isApiError(caught, 'GATE_REFUSED')) {
        const details = caught.details as { gate?: Gate; reasons?: Gate['reasons'] } | undefined;
        const refused: Gate = details?.gate ?? { allowed: false, needsReview: false, reasons: details?.reasons ?? [], decisionIds: [] };
        setLastGate(refused);
        setAnswer({ question, state: { status: 'ready', gate: refused } });
        setFailure({ text: t('publishing.publish.refused') });
      } else if (isApiError(caught, 'GUIDELINES_NOT_ACKNOWLEDGED')) {
        setFailure({ text: t('publishing.publish.guidelines'), guidelines: true });
      } else if (isApiError(caught, 'CHANNEL_INACTIVE')) {
        setFailure({ text: t('publishing.publish.channelInactive') });
      } else {
        setFailure({ text: errorText(caught) });
      }
    } finally {
      setBusy(false);
    }
  }

  if (result) {
    const { publication, choice: chosen } = result;
    const published = publication.status === 'published';
    return (
      <div className="stack">
        <SectionHeading id="publish-result" ref={resultHeading} focusable level={3}>
          {published ? t('publishing.publish.publishedHeading') : t('publishing.publish.pendingHeading')}
        </SectionHeading>
        <Notice tone={published ? 'success' : 'info'}>
          {published ? t('publishing.publish.published', { channel: chosen.channel.name }) : t('publishing.publish.pending', { channel: chosen.channel.name })}
        </Notice>
        {published && chosen.channel.kind === 'external' && <ExternalCopy publication={publication} channelName={chosen.channel.name} />}
        {published && chosen.channel.kind === 'hosted' && (
          <Text>{t('publishing.publish.hostedNote')}</Text>
        )}
        <div className="button-row">
          <Button onClick={onClose}>{t('common.close')}</Button>
          <Link to={`/publiseringer/${encodeURIComponent(publication.id)}`}>{t('publishing.publish.story')}</Link>
        </div>
      </div>
    );
  }

  const errorList = (Object.entries(errors) as [Field, string | undefined][]).flatMap(([field, message]) =>
    message ? [{ fieldId: field === 'channel' ? `publish-channel-${choices[0]?.channel.id ?? ''}` : `publish-${field}`, message }] : [],
  );

  return (
    <form className="form" noValidate onSubmit={(event) => void submit(event)}>
      <FormErrors key={attempt} errors={errorList} />
      {choices.length === 0 ? (
        <Notice tone="warning">{t('publishing.publish.noChannels')}</Notice>
      ) : (
        <RadioGroup
          name="publish-channel"
          idPrefix="publish-channel"
          legend={t('publishing.publish.channel')}
          options={choices.map(({ channel, purpose }) => ({
            value: channel.id,
            label: channel.name,
            description: [
              t(`consent.audience.${purpose.audience}`),
              channel.kind === 'hosted' ? t('publishing.publish.hosted') : t('publishing.publish.external'),
              needsReview(purpose.audience) ? t('publishing.publish.reviewFirst') : '',
            ]
              .filter(Boolean)
              .join(' · '),
          }))}
          value={channelId || null}
          onChange={(value) => {
            setChannelId(value);
            setErrors((old) => ({ ...old, channel: undefined }));
          }}
          error={errors.channel}
        />
      )}
      {perOccasion && (
        <TextField
          id="publish-occasion"
          label={t('publishing.publish.occasion')}
          description={t('publishing.publish.occasionHint')}
          value={occasion}
          onChange={(event) => setOccasion(event.target.value)}
          error={errors.occasion}
          autoComplete="off"
        />
      )}
      <TextArea
        id="publish-caption"
        label={`${t('publishing.publish.caption')} ${t('common.optional')}`}
        description={t('publishing.publish.captionHint')}
        rows={3}
        value={caption}
        onChange={(event) => setCaption(event.target.value)}
      />
      {/* Right under the caption, so the answer is in view while it is typed (on a phone too). */}
      <GateResult state={gate} channelName={choice?.channel.name ?? ''} headingId={gateHeadingId} />
      <TextArea
        id="publish-altText"
        label={t('publishing.publish.altText')}
        description={t('publishing.publish.altTextHint')}
        rows={2}
        required
        value={altText}
        onChange={(event) => {
          setAltText(event.target.value);
          if (event.target.value.trim()) setErrors((old) => ({ ...old, altText: undefined }));
        }}
        error={errors.altText}
      />
      <TextField id="publish-title" label={t('publishing.publish.titleField')} optional value={title} onChange={(event) => setTitle(event.target.value)} autoComplete="off" />
      <div className="ds-sr-only">
        <LiveRegion>{announcement}</LiveRegion>
      </div>
      <LiveRegion politeness="assertive">
        {failure && (
          <Notice tone="danger">
            {failure.text} {failure.guidelines && <Link to="/retningslinjer">{t('publishing.publish.readGuidelines')}</Link>}
          </Notice>
        )}
      </LiveRegion>
      <div className="button-row">
        <Button type="submit" busy={busy} busyLabel={t('publishing.publish.sending')}>
          {choice && needsReview(choice.purpose.audience) ? t('publishing.publish.submitForReview') : t('publishing.publish.submit')}
        </Button>
        <Button variant="tertiary" onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
