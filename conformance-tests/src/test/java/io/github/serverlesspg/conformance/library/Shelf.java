package io.github.serverlesspg.conformance.library;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Version;
import java.util.ArrayList;
import java.util.List;

/** A shelf of volumes: a sequence-generated id, a one-to-many relation and an optimistic-lock version. */
@Entity
public class Shelf {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "shelf_seq")
  @SequenceGenerator(name = "shelf_seq", sequenceName = "shelf_seq", allocationSize = 50)
  private Long id;

  private String label;

  @Version
  private long version;

  @OneToMany(mappedBy = "shelf", cascade = CascadeType.ALL, orphanRemoval = true)
  private List<Volume> volumes = new ArrayList<>();

  protected Shelf() {
  }

  public Shelf(String label) {
    this.label = label;
  }

  public Long getId() {
    return id;
  }

  public String getLabel() {
    return label;
  }

  public void setLabel(String label) {
    this.label = label;
  }

  public List<Volume> getVolumes() {
    return volumes;
  }

  public void add(Volume volume) {
    volumes.add(volume);
    volume.setShelf(this);
  }
}
